#!/usr/bin/env python3
"""Submit a push to a Push Proxy Gateway with PAP (WAP-247): a
multipart/related body of the PAP control entity and the content.

usage: pap_push.py URL MSISDN CONTENT-TYPE APP-ID FILE
prints the HTTP status and the PPG's answer"""
import sys
import urllib.request

url, msisdn, ctype, app_id, path = sys.argv[1:6]
boundary = "uiccboot-pap-boundary"
control = (
    '<?xml version="1.0"?>\r\n'
    '<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN" '
    '"http://www.wapforum.org/DTD/pap_2.0.dtd">\r\n'
    '<pap><push-message push-id="uiccboot-%s">'
    '<address address-value="WAPPUSH=%s/TYPE=PLMN@ppg.example"/>'
    '<quality-of-service priority="low" delivery-method="unconfirmed" '
    'network-required="true" network="GSM" bearer-required="true" bearer="SMS"/>'
    "</push-message></pap>\r\n" % (msisdn.lstrip("+"), msisdn)
)
content = open(path, "rb").read()
body = (
    ("--%s\r\nContent-Type: application/xml\r\n\r\n%s\r\n" % (boundary, control)).encode()
    + ("--%s\r\nContent-Type: %s\r\nX-Wap-Application-Id: %s\r\n"
       "Content-Transfer-Encoding: binary\r\n\r\n" % (boundary, ctype, app_id)).encode()
    + content
    + ("\r\n--%s--\r\n" % boundary).encode()
)
req = urllib.request.Request(url, data=body, method="POST", headers={
    "Content-Type": 'multipart/related; boundary=%s; type="application/xml"' % boundary})
try:
    with urllib.request.urlopen(req, timeout=10) as r:
        print(r.status, r.read().decode("latin-1").replace("\n", " "))
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode("latin-1").replace("\n", " "))
    sys.exit(1)
