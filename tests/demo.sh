#!/bin/bash
# make demo: pcscd + vpcd + the demo card, then the power-on story:
# a device tree that already has a ./ConnMO/Internet, the card's DM
# Bootstrap applied with a ConnMO rename and its LwM2M bootstrap beside
# it, the LwM2M Objects as a client's Bootstrap-Write takes them, and a
# pushed bootstrap whose MAC key (USERPIN_NETWORKID_GBA) comes from the
# card's GBA_U.
set -eu
cd "$(dirname "$0")/.."
export UB_LAB_DIR=${UB_LAB_DIR:-/tmp/uiccboot-demo}
UB=build/uiccboot
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() {
	printf '\033[2m$'
	printf ' %q' "$@"
	printf '\033[0m\n'
	"$@"
}

tests/lab.sh start 2
trap 'tests/lab.sh stop >/dev/null' EXIT
tests/lab.sh sim 0 tests/profiles/demo.conf
R=$(tests/lab.sh reader 0)
D=$(mktemp -d /tmp/uiccboot-demo-tree.XXXXXX)
T=$D/dmtree.db
printf '[gba]\nua_id = 0300000099\n' >"$D/policy.conf"
U() { run $UB -r "$R" --tree "$T" --policy "$D/policy.conf" "$@"; }

say "the readers, and the card in the first one"
run $UB readers
U --reset info

say "a device tree that already has ./ConnMO/Internet (another APN)"
U tree import tests/fixtures/seed-connmo.xml

say "power-on: the card's DM and CP Bootstraps (together) and its LwM2M bootstrap, each kind applied in one transaction"
U bootstrap
U tree get ./DMAcc/OperatorDM/PrefConRef
U tree list ./ConnMO

say "the LwM2M Objects in the tree: each Instance owned by its LwM2M server, keys masked"
U lwm2m list
U tree get ./LwM2M/0/0/5

say "for the LwM2M client's Bootstrap-Write: SenML JSON (110), keys left out unless --secrets"
U lwm2m export
echo "(and /1 as LwM2M TLV, 11542:)"
printf '\033[2m$ %s\033[0m\n' "uiccboot lwm2m export --format tlv --object 1 | od -An -tx1"
$UB -r "$R" --tree "$T" lwm2m export --format tlv --object 1 | od -An -tx1

say "power-on again: the same card data is not written again"
U bootstrap

say "a pushed bootstrap, SEC=USERPIN_NETWORKID_GBA: the MAC key is <user PIN> ':' || Ks_ext_NAF"
echo "(the DM server side, for the demo: GBA run, Ks_ext_NAF for dm.example.com, HMAC-SHA1)"
U gba bootstrap --rand 23553cbe9637a89d218ae64dae47bf35 \
	--autn 55f328b43577b9b94a9ffac354dfafb3 --bsf bsf.example.org
KS=$($UB -r "$R" --json gba naf-key --naf dm.example.com --ua 0300000099 --secrets |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["ks_ext_naf"])')
MSG=tests/fixtures/dm12-plain.wbxml
MAC=$(openssl dgst -sha1 -mac HMAC -macopt "hexkey:$(printf '1234:' | od -An -tx1 | tr -d ' \n')$KS" "$MSG" |
	awk '{print toupper($NF)}')
U push "$MSG" --content-type "application/vnd.syncml.dm+wbxml; SEC=USERPIN_NETWORKID_GBA; MAC=$MAC" \
	--user-pin 1234

say "the device tree now (uiccboot tree export: TNDS, secrets as (secret); shown without properties)"
U tree export | grep -E "NodeName|<Value>" | sed -E 's/<RTProperties>.*<\/RTProperties>//;
	s/<\/?Node>//g; s/<NodeName>//; s/<\/NodeName>//;
	s/<Path>[^<]*<\/Path>//; s/<Value>/ = /; s/<\/Value>//'
echo
echo "Tree: $T (kept).  The lab is stopped on exit; to keep exploring:"
echo "  tests/lab.sh start; tests/lab.sh sim 0 tests/profiles/demo.conf"
