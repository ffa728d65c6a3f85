# The sweeps of t_sweep through the test modem (-r at:...): the card
# removed, reset by the modem, the port closing, and kill -9, at every
# APDU (AT command) of a power-on bootstrap.  A test of its own so that it
# runs beside t_sweep.
# lab: long (a few minutes: started first, so the three at a time end together)
UB_SWEEP_MODEM=only exec bash "$(dirname "$0")/t_sweep.sh"
