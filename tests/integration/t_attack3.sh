# The decoder under attack: what a bootstrap holds as a value must stay a
# value on the way to the tree.  A server's signed bootstrap may carry a
# string it took from elsewhere (a device name, a user's string); on the
# code before the tree was built from the WBXML tokens, libwbxml wrote
# such a value into a CDATA section that `]]>` ended, and the XML read
# again held Items the MAC'd document holds only as a value: ./DMAcc/evil
# installed under the server's valid MAC, by a push and by the card alike
# (docs/trust-model.md, "decoder differential").
. "$(dirname "$0")/lib.sh"
DM="application/vnd.syncml.dm+wbxml"
T=$TMP/dmtree.db
MK="python3 tests/integration/mkboot.py"
SEMI=0910101032547698 # IMSI 001010123456789 as semi-octets
ub() { $UB --tree "$T" --policy "$TMP/policy.conf" "$@"; }
printf "" >"$TMP/policy.conf"
res() { echo "$rc $(echo "$out" | jget "d.get('error') or d['status']")"; }
get() { ub --json tree get --secrets "$1" 2>/dev/null | jget "d['value']"; }
mac() { python3 -c "import hmac,hashlib,sys; print(hmac.new(bytes.fromhex(sys.argv[1]), open(sys.argv[2],'rb').read(), hashlib.sha1).hexdigest().upper())" "$1" "$2"; }
hexs() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
K=$(hexs 1234:)$SEMI
# the value: it closes the Data, the Item, opens evil's Items and a CDATA
EVIL='x]]></Data></Item><Item><Target><LocURI>./DMAcc/evil/ServerID</LocURI></Target><Data>evil</Data></Item><Item><Target><LocURI>./DMAcc/evil/AppAddr/1/Addr</LocURI></Target><Data>https://evil.example/dm</Data></Item><Item><Target><LocURI>./DMAcc/evil/Name</LocURI></Target><Data><![CDATA[y'
EVIL11='x]]></Data></Item><Item><Target><LocURI>./SyncML/DMAcc/evil/ServerId</LocURI></Target><Data>evil</Data></Item><Item><Target><LocURI>./SyncML/DMAcc/evil/Name</LocURI></Target><Data><![CDATA[y'
# inline.py IN OUT: the same document with each opaque Data made an inline
# string (WBXML allows both; xml2wbxml writes opaque)
cat >"$TMP/inline.py" <<'EOF'
import sys
d = open(sys.argv[1], 'rb').read()
out, i = bytearray(), 0
while i < len(d):
    if d[i] == 0x4F and d[i + 1] == 0xC3:  # <Data> opaque
        n, j = 0, i + 2
        while True:
            n = n << 7 | (d[j] & 0x7F)
            j += 1
            if not d[j - 1] & 0x80:
                break
        out += b'\x4f\x03' + d[j:j + n] + b'\x00'
        i = j + n
    else:
        out.append(d[i])
        i += 1
open(sys.argv[2], 'wb').write(out)
EOF
$LAB sim 0 tests/profiles/demo.conf

# --- 1. a signed push whose value holds ]]> ---
$MK "$TMP/r.wbxml" ./DMAcc/r/ServerID=srvR ./DMAcc/r/AppAddr/1/Addr=https://dm.r.example/dm \
	"./DMAcc/r/Name=$EVIL"
out=$($UB --json sms send "$TMP/r.wbxml" --wbxml --sec NETWPIN --imsi 001010123456789 2>/dev/null)
check "the sender reads one server in it (sms send --json: servers)" eq \
	"$(echo "$out" | jget "d['servers']")" '["srvR"]'
out=$(ub --json push "$TMP/r.wbxml" --content-type "$DM; SEC=USERPIN_NETWORKID; MAC=$(mac "$K" "$TMP/r.wbxml")" \
	--user-pin 1234 2>"$TMP/err"); rc=$?
check "the push (a valid MAC, its Data opaque) is applied: srvR's account only" eq \
	"$(res) $(echo "$out" | jget "d['accounts']")" '0 applied ["./DMAcc/r"]'
check "... no ./DMAcc/evil" sh -c "! $UB --tree $T tree get ./DMAcc/evil/ServerID"
check "... the Name is the value, byte for byte" eq "$(get ./DMAcc/r/Name)" "$EVIL"
python3 "$TMP/inline.py" "$TMP/r.wbxml" "$TMP/ri.wbxml"
rm -f "$T"*
out=$(ub --json push "$TMP/ri.wbxml" --content-type "$DM; SEC=USERPIN_NETWORKID; MAC=$(mac "$K" "$TMP/ri.wbxml")" \
	--user-pin 1234 2>"$TMP/err"); rc=$?
check "the same with the Data as inline strings: srvR's account only, the Name the value" eq \
	"$(res) $(echo "$out" | jget "d['accounts']") $(get ./DMAcc/r/Name)" \
	"0 applied [\"./DMAcc/r\"] $EVIL"

# --- 2. the same in a DM 1.1.2 push ---
$MK "$TMP/r11.wbxml" --dm11 ./SyncML/DMAcc/r/ServerId=srvR "./SyncML/DMAcc/r/Name=$EVIL11"
rm -f "$T"*
out=$(ub --json push "$TMP/r11.wbxml" --content-type "$DM; SEC=USERPIN_NETWORKID; MAC=$(mac "$K" "$TMP/r11.wbxml")" \
	--user-pin 1234 2>"$TMP/err"); rc=$?
check "DM 1.1.2: srvR's account only, no ./SyncML/DMAcc/evil" sh -c \
	"[ '$(res)' = '0 applied' ] && ! $UB --tree $T tree get ./SyncML/DMAcc/evil/ServerId"

# --- 3. the card: its DM bootstrap holds such a value ---
# the demo card's bootstrap, with the operator's Name replaced by EVIL
python3 - "$TMP/card.xml" "$EVIL" <<'EOF'
import re, sys
from xml.sax.saxutils import escape
x = open('tests/profiles/boot/dm-bootstrap.xml').read()
x, n = re.subn(r'(<LocURI>\./DMAcc/OperatorDM/Name</LocURI></Target>\s*<Data>)[^<]*(</Data>)',
               lambda m: m.group(1) + escape(sys.argv[2]) + m.group(2), x)
assert n == 1, "no Name item in the demo card's DM bootstrap"
open(sys.argv[1], 'w').write(x)
EOF
xml2wbxml -o "$TMP/card.wbxml" "$TMP/card.xml" >/dev/null 2>&1
sed -e '/^lwm2m_/d; /^cp_bootstrap/d' -e "s|^dm_bootstrap = .*|dm_bootstrap = $TMP/card.wbxml|" \
	tests/profiles/demo.conf >"$TMP/card.conf"
$LAB simstop 0 >/dev/null
$LAB sim 0 "$TMP/card.conf"
rm -f "$T"*
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "the card's bootstrap: the operator's account only" eq \
	"$rc $(echo "$out" | jget "d['accounts']")" '0 ["./DMAcc/OperatorDM"]'
check "... no ./DMAcc/evil" sh -c "! $UB --tree $T tree get ./DMAcc/evil/ServerID"
check "... the Name is the value, byte for byte" eq "$(get ./DMAcc/OperatorDM/Name)" "$EVIL"
done_testing
