#!/usr/bin/env python3
"""Make a SyncML DM bootstrap (plain Items) for tests, as a DM server would,
and encode it with libwbxml's xml2wbxml (an independent encoder).

  mkboot.py OUT.wbxml [--dm11] [--source URI] [--cmd Add|Replace] [--xml]
            [--format URI=FORMAT ...] [--tnds FILE.xml] [URI=VALUE | URI ...]

A URI without "=VALUE" is an interior node (Format node, no Data).
--tnds adds one Item for ./Inbox carrying FILE's MgmtTree as XML TNDS.
--xml writes the XML instead of WBXML (to see what was made)."""
import subprocess, sys, tempfile
from xml.sax.saxutils import escape

args = sys.argv[1:]
out = args.pop(0)
dm11 = False
source = "https://dm.example.com/dm"
cmd = "Add"
formats = {}
items = []
tnds = None
as_xml = False
while args:
    a = args.pop(0)
    if a == "--dm11":
        dm11 = True
    elif a == "--source":
        source = args.pop(0)
    elif a == "--cmd":
        cmd = args.pop(0)
    elif a == "--format":
        u, f = args.pop(0).split("=", 1)
        formats[u] = f
    elif a == "--tnds":
        tnds = open(args.pop(0)).read()
    elif a == "--xml":
        as_xml = True
    elif "=" not in a:
        items.append((a, None))
    else:
        u, v = a.split("=", 1)
        items.append((u, v))

ver, proto, fpi, ns = (
    ("1.1", "DM/1.1", "-//SYNCML//DTD SyncML 1.1//EN", "SYNCML:SYNCML1.1")
    if dm11
    else ("1.2", "DM/1.2", "-//SYNCML//DTD SyncML 1.2//EN", "SYNCML:SYNCML1.2")
)
x = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE SyncML PUBLIC "%s" "http://www.openmobilealliance.org/tech/DTD/x.dtd">' % fpi,
    '<SyncML xmlns="%s"><SyncHdr><VerDTD>%s</VerDTD><VerProto>%s</VerProto>' % (ns, ver, proto),
    "<SessionID>0</SessionID><MsgID>0</MsgID><Target><LocURI>IMEI:490154203237518</LocURI></Target>",
    "<Source><LocURI>%s</LocURI></Source></SyncHdr><SyncBody><%s><CmdID>1</CmdID>" % (escape(source), cmd),
]
for u, v in items:
    meta = ""
    f = formats.get(u, "node" if v is None else None)
    if f is not None:
        meta = '<Meta><Format xmlns="syncml:metinf">%s</Format></Meta>' % escape(f)
    data = "" if v is None else "<Data>%s</Data>" % escape(v)
    x.append("<Item><Target><LocURI>%s</LocURI></Target>%s%s</Item>" % (escape(u), meta, data))
if tnds is not None:
    x.append(
        "<Item><Target><LocURI>./Inbox</LocURI></Target>"
        '<Meta><Format xmlns="syncml:metinf">xml</Format>'
        '<Type xmlns="syncml:metinf">application/vnd.syncml.dmtnds+xml</Type></Meta>'
        "<Data>%s</Data></Item>" % tnds
    )
x.append("</%s><Final/></SyncBody></SyncML>" % cmd)
xml = "\n".join(x)
if as_xml:
    open(out, "w").write(xml)
    sys.exit(0)
with tempfile.NamedTemporaryFile("w", suffix=".xml") as f:
    f.write(xml)
    f.flush()
    r = subprocess.run(["xml2wbxml", "-o", out, f.name], capture_output=True, text=True)
    if r.returncode:
        sys.exit("xml2wbxml: " + r.stdout + r.stderr)
