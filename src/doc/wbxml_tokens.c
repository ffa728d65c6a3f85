/* The code pages of the WBXML documents we read: which name each token
 * stands for.  SyncML (OMA-TS-SyncML_RepPro 1.2, its WBXML code page 0)
 * with MetInf (OMA-TS-SyncML_MetaInfo 1.2, code page 1); DM DDF 1.2, which
 * TNDS uses (OMA-TS-DM_TND 1.2, code page 2); OMA CP provisioning documents
 * (WAP-183-ProvCont, OMA-WAP-TS-ProvCont 1.1: tag, attribute start and
 * attribute value tokens, code pages 0 and 1).  The entries are those of
 * libwbxml 0.11.8's tables (wbxml_tables.c), the encoder of `sms send` and
 * of the tests' documents, less its "Reserved for future use" token;
 * tests/unit/test_wbxml.c converts a document for every token with
 * libwbxml and compares the names.  A token not listed has no meaning
 * here: a document using it is refused.  SyncML 1.1 documents are read
 * with the 1.2 pages, which only add tokens DM does not use. */
#include <stddef.h>

#include "ub_wbxml.h"

#define PAGE 64 /* tag tokens: 6 bits */

static const char *const syncml_page0[PAGE] = {
	[0x05] = "Add",		 [0x06] = "Alert",
	[0x07] = "Archive",	 [0x08] = "Atomic",
	[0x09] = "Chal",	 [0x0A] = "Cmd",
	[0x0B] = "CmdID",	 [0x0C] = "CmdRef",
	[0x0D] = "Copy",	 [0x0E] = "Cred",
	[0x0F] = "Data",	 [0x10] = "Delete",
	[0x11] = "Exec",	 [0x12] = "Final",
	[0x13] = "Get",		 [0x14] = "Item",
	[0x15] = "Lang",	 [0x16] = "LocName",
	[0x17] = "LocURI",	 [0x18] = "Map",
	[0x19] = "MapItem",	 [0x1A] = "Meta",
	[0x1B] = "MsgID",	 [0x1C] = "MsgRef",
	[0x1D] = "NoResp",	 [0x1E] = "NoResults",
	[0x1F] = "Put",		 [0x20] = "Replace",
	[0x21] = "RespURI",	 [0x22] = "Results",
	[0x23] = "Search",	 [0x24] = "Sequence",
	[0x25] = "SessionID",	 [0x26] = "SftDel",
	[0x27] = "Source",	 [0x28] = "SourceRef",
	[0x29] = "Status",	 [0x2A] = "Sync",
	[0x2B] = "SyncBody",	 [0x2C] = "SyncHdr",
	[0x2D] = "SyncML",	 [0x2E] = "Target",
	[0x2F] = "TargetRef",	 [0x31] = "VerDTD",
	[0x32] = "VerProto",	 [0x33] = "NumberOfChanges",
	[0x34] = "MoreData",	 [0x35] = "Field",
	[0x36] = "Filter",	 [0x37] = "Record",
	[0x38] = "FilterType",	 [0x39] = "SourceParent",
	[0x3A] = "TargetParent", [0x3B] = "Move",
	[0x3C] = "Correlator",
};

/* MetInf 1.2; MetInf 1.1 lacks only FieldLevel, which DM does not use */
static const char *const metinf_page1[PAGE] = {
	[0x05] = "Anchor",     [0x06] = "EMI",	      [0x07] = "Format", [0x08] = "FreeID",
	[0x09] = "FreeMem",    [0x0A] = "Last",	      [0x0B] = "Mark",	 [0x0C] = "MaxMsgSize",
	[0x0D] = "Mem",	       [0x0E] = "MetInf",     [0x0F] = "Next",	 [0x10] = "NextNonce",
	[0x11] = "SharedMem",  [0x12] = "Size",	      [0x13] = "Type",	 [0x14] = "Version",
	[0x15] = "MaxObjSize", [0x16] = "FieldLevel",
};

static const char *const dmddf_page2[PAGE] = {
	[0x05] = "AccessType",	 [0x06] = "ACL",	  [0x07] = "Add",
	[0x08] = "b64",		 [0x09] = "bin",	  [0x0A] = "bool",
	[0x0B] = "chr",		 [0x0C] = "CaseSense",	  [0x0D] = "CIS",
	[0x0E] = "Copy",	 [0x0F] = "CS",		  [0x10] = "date",
	[0x11] = "DDFName",	 [0x12] = "DefaultValue", [0x13] = "Delete",
	[0x14] = "Description",	 [0x15] = "DFFormat",	  [0x16] = "DFProperties",
	[0x17] = "DFTitle",	 [0x18] = "DFType",	  [0x19] = "Dynamic",
	[0x1A] = "Exec",	 [0x1B] = "float",	  [0x1C] = "Format",
	[0x1D] = "Get",		 [0x1E] = "int",	  [0x1F] = "Man",
	[0x20] = "MgmtTree",	 [0x21] = "MIME",	  [0x22] = "Mod",
	[0x23] = "Name",	 [0x24] = "Node",	  [0x25] = "node",
	[0x26] = "NodeName",	 [0x27] = "null",	  [0x28] = "Occurrence",
	[0x29] = "One",		 [0x2A] = "OneOrMore",	  [0x2B] = "OneOrN",
	[0x2C] = "Path",	 [0x2D] = "Permanent",	  [0x2E] = "Replace",
	[0x2F] = "RTProperties", [0x30] = "Scope",	  [0x31] = "Size",
	[0x32] = "time",	 [0x33] = "Title",	  [0x34] = "TStamp",
	[0x35] = "Type",	 [0x36] = "Value",	  [0x37] = "VerDTD",
	[0x38] = "VerNo",	 [0x39] = "xml",	  [0x3A] = "ZeroOrMore",
	[0x3B] = "ZeroOrN",	 [0x3C] = "ZeroOrOne",
};

/* PROV 1.0: characteristic and parm on both tag pages */
static const char *const prov_tags[PAGE] = {
	[0x05] = "wap-provisioningdoc",
	[0x06] = "characteristic",
	[0x07] = "parm",
};

static const char *const prov_tags1[PAGE] = {
	[0x06] = "characteristic",
	[0x07] = "parm",
};

/* An attribute start token: the attribute and the start of its value. */
struct attr_start {
	const char *name, *prefix;
};

static const struct attr_start prov_attr0[128] = {
	[0x05] = {"name", ""},
	[0x06] = {"value", ""},
	[0x07] = {"name", "NAME"},
	[0x08] = {"name", "NAP-ADDRESS"},
	[0x09] = {"name", "NAP-ADDRTYPE"},
	[0x0A] = {"name", "CALLTYPE"},
	[0x0B] = {"name", "VALIDUNTIL"},
	[0x0C] = {"name", "AUTHTYPE"},
	[0x0D] = {"name", "AUTHNAME"},
	[0x0E] = {"name", "AUTHSECRET"},
	[0x0F] = {"name", "LINGER"},
	[0x10] = {"name", "BEARER"},
	[0x11] = {"name", "NAPID"},
	[0x12] = {"name", "COUNTRY"},
	[0x13] = {"name", "NETWORK"},
	[0x14] = {"name", "INTERNET"},
	[0x15] = {"name", "PROXY-ID"},
	[0x16] = {"name", "PROXY-PROVIDER-ID"},
	[0x17] = {"name", "DOMAIN"},
	[0x18] = {"name", "PROVURL"},
	[0x19] = {"name", "PXAUTH-TYPE"},
	[0x1A] = {"name", "PXAUTH-ID"},
	[0x1B] = {"name", "PXAUTH-PW"},
	[0x1C] = {"name", "STARTPAGE"},
	[0x1D] = {"name", "BASAUTH-ID"},
	[0x1E] = {"name", "BASAUTH-PW"},
	[0x1F] = {"name", "PUSHENABLED"},
	[0x20] = {"name", "PXADDR"},
	[0x21] = {"name", "PXADDRTYPE"},
	[0x22] = {"name", "TO-NAPID"},
	[0x23] = {"name", "PORTNBR"},
	[0x24] = {"name", "SERVICE"},
	[0x25] = {"name", "LINKSPEED"},
	[0x26] = {"name", "DNLINKSPEED"},
	[0x27] = {"name", "LOCAL-ADDR"},
	[0x28] = {"name", "LOCAL-ADDRTYPE"},
	[0x29] = {"name", "CONTEXT-ALLOW"},
	[0x2A] = {"name", "TRUST"},
	[0x2B] = {"name", "MASTER"},
	[0x2C] = {"name", "SID"},
	[0x2D] = {"name", "SOC"},
	[0x2E] = {"name", "WSP-VERSION"},
	[0x2F] = {"name", "PHYSICAL-PROXY-ID"},
	[0x30] = {"name", "CLIENT-ID"},
	[0x31] = {"name", "DELIVERY-ERR-SDU"},
	[0x32] = {"name", "DELIVERY-ORDER"},
	[0x33] = {"name", "TRAFFIC-CLASS"},
	[0x34] = {"name", "MAX-SDU-SIZE"},
	[0x35] = {"name", "MAX-BITRATE-UPLINK"},
	[0x36] = {"name", "MAX-BITRATE-DNLINK"},
	[0x37] = {"name", "RESIDUAL-BER"},
	[0x38] = {"name", "SDU-ERROR-RATIO"},
	[0x39] = {"name", "TRAFFIC-HANDL-PRIO"},
	[0x3A] = {"name", "TRANSFER-DELAY"},
	[0x3B] = {"name", "GUARANTEED-BITRATE-UPLINK"},
	[0x3C] = {"name", "GUARANTEED-BITRATE-DNLINK"},
	[0x3D] = {"name", "PXADDR-FQDN"},
	[0x3E] = {"name", "PROXY-PW"},
	[0x3F] = {"name", "PPGAUTH-TYPE"},
	[0x45] = {"version", ""},
	[0x46] = {"version", "1.0"},
	[0x47] = {"name", "PULLENABLED"},
	[0x48] = {"name", "DNS-ADDR"},
	[0x49] = {"name", "MAX-NUM-RETRY"},
	[0x4A] = {"name", "FIRST-RETRY-TIMEOUT"},
	[0x4B] = {"name", "REREG-THRESHOLD"},
	[0x4C] = {"name", "T-BIT"},
	[0x4E] = {"name", "AUTH-ENTITY"},
	[0x4F] = {"name", "SPI"},
	[0x50] = {"type", ""},
	[0x51] = {"type", "PXLOGICAL"},
	[0x52] = {"type", "PXPHYSICAL"},
	[0x53] = {"type", "PORT"},
	[0x54] = {"type", "VALIDITY"},
	[0x55] = {"type", "NAPDEF"},
	[0x56] = {"type", "BOOTSTRAP"},
	[0x57] = {"type", "VENDORCONFIG"},
	[0x58] = {"type", "CLIENTIDENTITY"},
	[0x59] = {"type", "PXAUTHINFO"},
	[0x5A] = {"type", "NAPAUTHINFO"},
	[0x5B] = {"type", "ACCESS"},
};

static const struct attr_start prov_attr1[128] = {
	[0x05] = {"name", ""},
	[0x06] = {"value", ""},
	[0x07] = {"name", "NAME"},
	[0x14] = {"name", "INTERNET"},
	[0x1C] = {"name", "STARTPAGE"},
	[0x22] = {"name", "TO-NAPID"},
	[0x23] = {"name", "PORTNBR"},
	[0x24] = {"name", "SERVICE"},
	[0x2E] = {"name", "AACCEPT"},
	[0x2F] = {"name", "AAUTHDATA"},
	[0x30] = {"name", "AAUTHLEVEL"},
	[0x31] = {"name", "AAUTHNAME"},
	[0x32] = {"name", "AAUTHSECRET"},
	[0x33] = {"name", "AAUTHTYPE"},
	[0x34] = {"name", "ADDR"},
	[0x35] = {"name", "ADDRTYPE"},
	[0x36] = {"name", "APPID"},
	[0x37] = {"name", "APROTOCOL"},
	[0x38] = {"name", "PROVIDER-ID"},
	[0x39] = {"name", "TO-PROXY"},
	[0x3A] = {"name", "URI"},
	[0x3B] = {"name", "RULE"},
	[0x50] = {"type", ""},
	[0x53] = {"type", "PORT"},
	[0x55] = {"type", "APPLICATION"},
	[0x56] = {"type", "APPADDR"},
	[0x57] = {"type", "APPAUTH"},
	[0x58] = {"type", "CLIENTIDENTITY"},
	[0x59] = {"type", "RESOURCE"},
};

/* attribute value tokens, 0x80 and up */
static const char *const prov_value0[128] = {
	[0x85 - 0x80] = "IPV4",
	[0x86 - 0x80] = "IPV6",
	[0x87 - 0x80] = "E164",
	[0x88 - 0x80] = "ALPHA",
	[0x89 - 0x80] = "APN",
	[0x8A - 0x80] = "SCODE",
	[0x8B - 0x80] = "TETRA-ITSI",
	[0x8C - 0x80] = "MAN",
	[0x90 - 0x80] = "ANALOG-MODEM",
	[0x91 - 0x80] = "V.120",
	[0x92 - 0x80] = "V.110",
	[0x93 - 0x80] = "X.31",
	[0x94 - 0x80] = "BIT-TRANSPARENT",
	[0x95 - 0x80] = "DIRECT-ASYNCHRONOUS-DATA-SERVICE",
	[0x9A - 0x80] = "PAP",
	[0x9B - 0x80] = "CHAP",
	[0x9C - 0x80] = "HTTP-BASIC",
	[0x9D - 0x80] = "HTTP-DIGEST",
	[0x9E - 0x80] = "WTLS-SS",
	[0x9F - 0x80] = "MD5",
	[0xA2 - 0x80] = "GSM-USSD",
	[0xA3 - 0x80] = "GSM-SMS",
	[0xA4 - 0x80] = "ANSI-136-GUTS",
	[0xA5 - 0x80] = "IS-95-CDMA-SMS",
	[0xA6 - 0x80] = "IS-95-CDMA-CSD",
	[0xA7 - 0x80] = "IS-95-CDMA-PACKET",
	[0xA8 - 0x80] = "ANSI-136-CSD",
	[0xA9 - 0x80] = "ANSI-136-GPRS",
	[0xAA - 0x80] = "GSM-CSD",
	[0xAB - 0x80] = "GSM-GPRS",
	[0xAC - 0x80] = "AMPS-CDPD",
	[0xAD - 0x80] = "PDC-CSD",
	[0xAE - 0x80] = "PDC-PACKET",
	[0xAF - 0x80] = "IDEN-SMS",
	[0xB0 - 0x80] = "IDEN-CSD",
	[0xB1 - 0x80] = "IDEN-PACKET",
	[0xB2 - 0x80] = "FLEX/REFLEX",
	[0xB3 - 0x80] = "PHS-SMS",
	[0xB4 - 0x80] = "PHS-CSD",
	[0xB5 - 0x80] = "TRETRA-SDS",
	[0xB6 - 0x80] = "TRETRA-PACKET",
	[0xB7 - 0x80] = "ANSI-136-GHOST",
	[0xB8 - 0x80] = "MOBITEX-MPAK",
	[0xB9 - 0x80] = "CDMA2000-1X-SIMPLE-IP",
	[0xBA - 0x80] = "CDMA2000-1X-MOBILE-IP",
	[0xC5 - 0x80] = "AUTOBAUDING",
	[0xCA - 0x80] = "CL-WSP",
	[0xCB - 0x80] = "CO-WSP",
	[0xCC - 0x80] = "CL-SEC-WSP",
	[0xCD - 0x80] = "CO-SEC-WSP",
	[0xCE - 0x80] = "CL-SEC-WTA",
	[0xCF - 0x80] = "CO-SEC-WTA",
	[0xD0 - 0x80] = "OTA-HTTP-TO",
	[0xD1 - 0x80] = "OTA-HTTP-TLS-TO",
	[0xD2 - 0x80] = "OTA-HTTP-PO",
	[0xD3 - 0x80] = "OTA-HTTP-TLS-PO",
	[0xE0 - 0x80] = "AAA",
	[0xE1 - 0x80] = "HA",
};

static const char *const prov_value1[128] = {
	[0x86 - 0x80] = "IPV6",	  [0x87 - 0x80] = "E164",  [0x88 - 0x80] = "ALPHA",
	[0x8D - 0x80] = "APPSRV", [0x8E - 0x80] = "OBEX",  [0x90 - 0x80] = ",",
	[0x91 - 0x80] = "HTTP-",  [0x92 - 0x80] = "BASIC", [0x93 - 0x80] = "DIGEST",
};

struct lang {
	const char *const *tags[3]; /* tag pages 0..2, NULL: not a page of it */
	const struct attr_start *attrs[2];
	const char *const *values[2];
};

static const struct lang langs[UB_LANG_COUNT] = {
	[UB_LANG_SYNCML12] = {.tags = {syncml_page0, metinf_page1}},
	[UB_LANG_SYNCML11] = {.tags = {syncml_page0, metinf_page1}},
	[UB_LANG_PROV10] = {.tags = {prov_tags, prov_tags1},
			    .attrs = {prov_attr0, prov_attr1},
			    .values = {prov_value0, prov_value1}},
	[UB_LANG_TNDS] = {.tags = {NULL, NULL, dmddf_page2}},
};

const char *ub_wbxml_tag(enum ub_wbxml_lang lang, unsigned page, unsigned tok)
{
	if (lang >= UB_LANG_COUNT || page > 2 || tok >= PAGE || !langs[lang].tags[page])
		return NULL;
	return langs[lang].tags[page][tok];
}

const char *ub_wbxml_attr(enum ub_wbxml_lang lang, unsigned page, unsigned tok, const char **prefix)
{
	const struct attr_start *a;

	if (lang >= UB_LANG_COUNT || page > 1 || tok >= 0x80 || !langs[lang].attrs[page])
		return NULL;
	a = &langs[lang].attrs[page][tok];
	*prefix = a->prefix;
	return a->name;
}

const char *ub_wbxml_attr_value(enum ub_wbxml_lang lang, unsigned page, unsigned tok)
{
	if (lang >= UB_LANG_COUNT || page > 1 || tok < 0x80 || tok > 0xFF ||
	    !langs[lang].values[page])
		return NULL;
	return langs[lang].values[page][tok - 0x80];
}
