# Issue 4: uiccboot info against uicc-sim layouts; APDU counts from the
# simulator's own log; the PIN rule.
. "$(dirname "$0")/lib.sh"
P=tests/profiles/test-usim.conf
LOG=$LABDIR/sim0.log

# APDUs the card saw since its last reset/power-on marker
# the APDUs the card logged since mark (not since its last power-on: another
# client of the pcscd, such as a readers probe, may power an idle card on)
mark() { M=$(wc -l <"$LOG"); }
card_apdus() { tail -n +$((M + 1)) "$LOG" | grep -c '^> '; }
# index (1-based, since the last reset) of the first APDU matching $1
apdu_index() { awk -v pat="$1" '/^# (reset|power on)/ { n = 0; found = 0 } /^> / { n++; if (!found && index($0, pat)) { print n; found = 1 } }' "$LOG" | tail -1; }
info() { $UB --json "$@" info; }

# --- USIM + ISIM, T=1 ---
$LAB sim 0 $P
mark
out=$(info --reset)
check "USIM+ISIM: iccid, imsi, mnc_len, impi from the ISIM" eq \
	"$(echo "$out" | jget "[d['iccid'], d['imsi'], d['mnc_len'], d['impi'], d['impi_source']]")" \
	'["8949440000001234567", "001010123456789", 2, "001010123456789@ims.mnc001.mcc001.3gppnetwork.org", "isim"]'
check "USIM+ISIM: apps with full AIDs and kinds" eq "$(echo "$out" | jget "[(a['aid'], a['kind']) for a in d['apps']]")" \
	'[["a0000000871002ffffffff8907090000", "usim"], ["a0000000871004ffffffff8907090000", "isim"]]'
check "USIM+ISIM: IMPUs and GBA service" eq "$(echo "$out" | jget "[d['impu'], d['gba']['service'], d['gba']['app']]")" \
	'[["sip:001010123456789@ims.mnc001.mcc001.3gppnetwork.org", "tel:+491701234567"], true, "isim"]'
check "apdus equals what the card saw" eq "$(echo "$out" | jget "d['apdus']")" "$(card_apdus)"
# minimum for this layout (T=1, after a reset): EF_DIR r1, SELECT USIM, IMSI, AD, UST,
# SELECT+READ GBABP, SELECT MF, EF_DIR r2, r3 (6A83), ICCID, SELECT ISIM, IMPI,
# IMPU r1 r2 r3 (6A83), IST, SELECT+READ GBABP = 19
check "APDUs of info on this layout: 19" eq "$(echo "$out" | jget "d['apdus']")" 19
check "power-on to IMSI: at most 4 APDUs (T=1, after reset: $(apdu_index '00 B0 87'))" test "$(apdu_index '00 B0 87')" -le 4
info >/dev/null
check "power-on to IMSI: at most 4 APDUs (T=1, card state unknown: $(apdu_index '00 B0 87'))" test "$(apdu_index '00 B0 87')" -le 4
out2=$(info)
check "a second run (card state left by the first) reports the same card" eq \
	"$(echo "$out2" | jget "[d['iccid'], d['imsi'], d['impi']]")" "$(echo "$out" | jget "[d['iccid'], d['imsi'], d['impi']]")"

# --- same card, T=0 ---
sed 's/^protocol = T1/protocol = T0/' $P >"$TMP/t0.conf"
$LAB sim 0 "$TMP/t0.conf"
mark
out=$(info --reset)
check "T=0: same identities" eq "$(echo "$out" | jget "[d['iccid'], d['imsi'], d['impi'], len(d['apps'])]")" \
	'["8949440000001234567", "001010123456789", "001010123456789@ims.mnc001.mcc001.3gppnetwork.org", 2]'
check "T=0: apdus equals what the card saw" eq "$(echo "$out" | jget "d['apdus']")" "$(card_apdus)"
check "T=0: power-on to IMSI at most 4 APDUs ($(apdu_index '00 B0 87'))" test "$(apdu_index '00 B0 87')" -le 4

# --- USIM only: IMPI derived (TS 23.003), 3-digit MNC ---
sed -e '/^\[isim\]/,$d' -e 's/^imsi = .*/imsi = 310150123456789/' -e 's/^mnc_len = .*/mnc_len = 3/' $P >"$TMP/usim.conf"
$LAB sim 0 "$TMP/usim.conf"
out=$(info --reset)
check "USIM only: IMPI derived from IMSI with a 3-digit MNC" eq "$(echo "$out" | jget "[d['impi'], d['impi_source'], d['mnc_len'], len(d['apps'])]")" \
	'["310150123456789@ims.mnc150.mcc310.3gppnetwork.org", "derived", 3, 1]'
# EF_DIR r1, SELECT USIM, IMSI, AD, UST, SELECT+READ GBABP, SELECT MF, EF_DIR r2 (6A83), ICCID = 10
check "USIM only: 10 APDUs" eq "$(echo "$out" | jget "d['apdus']")" 10

# --- logical channels, and the fallback when the card refuses them ---
$LAB sim 0 $P
out=$(info --channel)
check "--channel: same answers on a logical channel" eq "$(echo "$out" | jget "[d['imsi'], d['impi'], len(d['apps'])]")" \
	'["001010123456789", "001010123456789@ims.mnc001.mcc001.3gppnetwork.org", 2]'
check "--channel: MANAGE CHANNEL open, commands with CLA 01, channel closed" sh -c \
	"grep -q '^> 00 70 00 00 01' $LOG && grep -q '^> 01 B0 87 00 09' $LOG && grep -q '^> 00 70 80 01' $LOG && ! grep -q '^> 00 B0 87' $LOG"
$LAB sim 0 $P --fault sw:6881:70:1
out=$(info --channel)
check "--channel on a card answering 6881: the basic channel is used" sh -c \
	"[ '$(echo "$out" | jget "d['imsi']")' = 001010123456789 ] && grep -q '^> 00 B0 87 00 09' $LOG && ! grep -q '^> 01 ' $LOG"

# --- demo card: PKCS#15 bootstrap objects ---
$LAB sim 0 tests/profiles/demo.conf
out=$(info)
check "demo: DM, CP and LwM2M bootstrap objects found through ODF/DODF" eq \
	"$(echo "$out" | jget "[(b['oid'], b['name'], b['path']) for b in d['bootstrap']]")" \
	'[["2.23.43.7.1", "DM Bootstrap", "6432"], ["2.23.43.5.1", "CP Bootstrap", "6433"], ["2.23.43.9.1", "LwM2M Bootstrap", "6434"]]'

# --- PIN ---
sed -e 's/^pin1_enabled = no/pin1_enabled = yes/' $P >"$TMP/pin.conf"
$LAB sim 0 "$TMP/pin.conf"
out=$(info 2>/dev/null); rc=$?
check "PIN enabled, no PIN given: exit 77, pin-required" eq "$rc $(echo "$out" | jget "d['error']")" "77 pin-required"
out=$(info --pin 1234); rc=$?
check "PIN enabled, right PIN: exit 0 and the IMSI" eq "$rc $(echo "$out" | jget "d['imsi']")" "0 001010123456789"
check "the PIN is not in the trace" sh -c "$UB --trace $TMP/trace --pin 1234 --reset info >/dev/null && grep -q '^> 00 20 00 01 08 XX XX XX XX XX XX XX XX' $TMP/trace && ! grep '^>' $TMP/trace | grep -q '31 32 33 34'"
out=$(info --reset --pin 9999 2>/dev/null); rc=$?
check "wrong PIN: exit 77, pin-wrong" eq "$rc $(echo "$out" | jget "d['error']")" "77 pin-wrong"
check "wrong PIN: the card counts 2 tries left" eq "$(apdus "$R0" 0020000100 | tail -1)" 63c2
out=$(UICCBOOT_PIN=9999 $UB --json --reset info 2>/dev/null); rc=$?
check "UICCBOOT_PIN is used (second wrong try)" eq "$rc $(echo "$out" | jget "d['error']")" "77 pin-wrong"
out=$(info --reset --pin 1234 2>/dev/null); rc=$?
check "one try left: the PIN is not tried (pin-last-attempt)" eq "$rc $(echo "$out" | jget "d['error']")" "77 pin-last-attempt"
check "one try left: the card still counts 1" eq "$(apdus "$R0" 0020000100 | tail -1)" 63c1

# --- legacy 2G SIM (CLA A0, 9Fxx) ---
sed -e 's/^protocol = T1/protocol = T0/' -e 's/^pin1_enabled = no/pin1_enabled = no\nlegacy = yes/' \
	-e '/^\[isim\]/,$d' $P >"$TMP/legacy.conf"
$LAB sim 0 "$TMP/legacy.conf"
mark
out=$(info --reset); rc=$?
check "legacy SIM: detected, ICCID and IMSI read with CLA A0" eq \
	"$rc $(echo "$out" | jget "[d['legacy'], d['iccid'], d['imsi'], d['mnc_len'], d['impi_source']]")" \
	'0 [true, "8949440000001234567", "001010123456789", 2, "derived"]'
check "legacy SIM: apdus equals what the card saw" eq "$(echo "$out" | jget "d['apdus']")" "$(card_apdus)"
out=$(info); rc=$?
check "legacy SIM without --reset: the first SELECT's 6E00 finds it" eq \
	"$rc $(echo "$out" | jget "[d['legacy'], d['iccid'], d['imsi']]")" \
	'0 [true, "8949440000001234567", "001010123456789"]'

# --- errors name the reader and exit 69 ---
$LAB simstop 0
out=$($UB -r "$R0" info 2>&1); rc=$?
check "empty reader: exit 69 and the reader is named" sh -c "[ $rc = 69 ] && echo '$out' | grep -qF '$R0'"
$UB -r "no such reader" info >/dev/null 2>&1; rc=$?
check "unknown reader: exit 69" eq $rc 69
done_testing
