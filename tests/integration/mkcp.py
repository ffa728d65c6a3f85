#!/usr/bin/env python3
"""Make an OMA CP (PROV 1.0) document for tests and encode it with libwbxml's
xml2wbxml (an independent encoder).

  mkcp.py OUT.wbxml [--xml] TYPE:PARM=VALUE,... ...
  mkcp.py OUT.wbxml --napdefs PREFIX FIRST LAST   NAPDEFs PREFIX<FIRST..LAST>

TYPE is NAPDEF, PXLOGICAL or APPLICATION; a PXLOGICAL's PXADDR and TO-NAPID
go into its PXPHYSICAL.  PREFIX<0> is PREFIX itself."""
import subprocess, sys, tempfile
from xml.sax.saxutils import quoteattr

args = sys.argv[1:]
out = args.pop(0)
as_xml = False
chars = []


def parm(n, v):
    return "<parm name=%s value=%s/>" % (quoteattr(n), quoteattr(v))


while args:
    a = args.pop(0)
    if a == "--xml":
        as_xml = True
    elif a == "--napdefs":
        prefix, first, last = args.pop(0), int(args.pop(0)), int(args.pop(0))
        for i in range(first, last + 1):
            name = prefix + (str(i) if i else "")
            chars.append('<characteristic type="NAPDEF">%s%s</characteristic>'
                         % (parm("NAPID", name), parm("NAP-ADDRESS", "apn%d" % i)))
    else:
        kind, _, rest = a.partition(":")
        ps = [p.split("=", 1) for p in rest.split(",") if p]
        inner = "".join(parm(k, v) for k, v in ps if k not in ("PXADDR", "TO-NAPID"))
        phys = "".join(parm(k, v) for k, v in ps if k in ("PXADDR", "TO-NAPID"))
        if phys:
            inner += '<characteristic type="PXPHYSICAL">%s%s</characteristic>' % (
                parm("PHYSICAL-PROXY-ID", "phys"), phys)
        chars.append('<characteristic type="%s">%s</characteristic>' % (kind, inner))
xml = ('<?xml version="1.0"?>\n<!DOCTYPE wap-provisioningdoc PUBLIC "-//WAPFORUM//DTD PROV 1.0//EN" '
       '"http://www.wapforum.org/DTD/prov.dtd">\n<wap-provisioningdoc version="1.0">'
       + "".join(chars) + "</wap-provisioningdoc>")
if as_xml:
    open(out, "w").write(xml)
    sys.exit(0)
with tempfile.NamedTemporaryFile("w", suffix=".xml") as f:
    f.write(xml)
    f.flush()
    r = subprocess.run(["xml2wbxml", "-o", out, f.name], capture_output=True, text=True)
    if r.returncode:
        sys.exit("xml2wbxml: " + r.stdout + r.stderr)
