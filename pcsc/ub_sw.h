/* The meaning of a card's status word: one table for every command. */
#ifndef UB_SW_H
#define UB_SW_H

#include <stdint.h>

/* 0 when sw says the command succeeded, else the error it means (enum
 * ub_err): ETSI TS 102 221 clause 10.2.1, the GSM-era codes of 3GPP TS
 * 51.011 9.4 that old cards still answer with, and for AUTHENTICATE (ins
 * 0x88) 3GPP TS 31.102 clause 7.3.1.  ins is the command's INS, for a
 * status word whose meaning depends on the command; any other status word
 * is UB_E_SW.  (61xx, 6Cxx and the other procedure answers are the
 * transmit path's, never an outcome.) */
int ub_sw_err(uint8_t ins, uint16_t sw);

#endif
