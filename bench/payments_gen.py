#!/usr/bin/env python3
"""Generate large payment-message files for the parse benchmark
(bench/pay_bench.c, docs/benchmarks.md "Payment messages").

usage: payments_gen.py pacs008|pacs008msgs|mt103 OUT SIZE_MB [SEED]

pacs008msgs: CBPR+-shaped pacs.008.001.08 messages, each an Envelope with a
head.001 AppHdr and a Document holding one CdtTrfTxInf with debtor,
creditor, their accounts, agents, an intermediary, structured addresses and
remittance text (about 2.2 KB per message), one after another (several
documents in one file: txscreen reads it, xmllint does not).  pacs008: the
same transactions as one bulk Document (one GrpHdr, NbOfTxs CdtTrfTxInf),
a single well-formed document, which is what `xmllint --stream` can read
beside it.  mt103: MT103 messages with 50K/59F parties,
52A/56A/57A agents, 70/72 texts, separated as an RJE file ('$').
Deterministic for a seed; only the standard library.
"""
import random
import sys

FIRST = ["Anna", "Boris", "Chen", "Dmitri", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jamal",
         "Kenji", "Lena", "Marco", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq"]
LAST = ["Smith", "Ivanov", "Garcia", "Mueller", "Rossi", "Kowalski", "Haddad", "Tanaka",
        "Okafor", "Nguyen", "Dubois", "Petrov", "Silva", "Khan", "Larsen", "Novak"]
CO = ["Trading", "Logistics", "Holdings", "Shipping", "Metals", "Textiles", "Foods", "Energy"]
TOWNS = [("GB", "London"), ("DE", "Berlin"), ("FR", "Paris"), ("AE", "Dubai"), ("SG", "Singapore"),
         ("US", "New York"), ("TR", "Istanbul"), ("HK", "Hong Kong"), ("CH", "Zurich")]
BICS = ["COBADEFFXXX", "BNPAFRPPXXX", "HSBCGB2LXXX", "CHASUS33XXX", "DBSSSGSGXXX", "UBSWCHZH80A",
        "EBILAEADXXX", "TGBATRISXXX", "HSBCHKHHHKH"]


def name(r):
    if r.random() < 0.5:
        return f"{r.choice(FIRST)} {r.choice(LAST)}"
    return f"{r.choice(LAST)} {r.choice(CO)} Ltd"


# IBAN lengths of the towns' countries (SWIFT IBAN Registry); Singapore, the
# United States and Hong Kong have no IBAN, so their accounts are plain
# numbers (an ISO 20022 Othr/Id, an MT account line).
IBAN_LEN = {"GB": 22, "DE": 22, "FR": 27, "AE": 23, "CH": 21, "TR": 26}


def account(r, cc):
    """A valid IBAN (ISO 13616 check digits) where the country has one, else
    12 digits: the engine rejects a message with a malformed IBAN."""
    n = IBAN_LEN.get(cc)
    if n is None:
        return "".join(r.choice("0123456789") for _ in range(12))
    bban = "".join(r.choice("0123456789") for _ in range(n - 4))
    digits = "".join(str(int(c, 36)) for c in bban + cc + "00")
    return "%s%02d%s" % (cc, 98 - int(digits) % 97, bban)


def acct_xml(r, cc):
    a = account(r, cc)
    return f"<IBAN>{a}</IBAN>" if cc in IBAN_LEN else f"<Othr><Id>{a}</Id></Othr>"


def pacs008(r, i):
    dc, dt = r.choice(TOWNS)
    cc, ct = r.choice(TOWNS)
    db, cb, ib = r.choice(BICS), r.choice(BICS), r.choice(BICS)
    amt = "%d.%02d" % (r.randint(1, 5000000), r.randint(0, 99))
    day = "2026-%02d-%02d" % (r.randint(1, 12), r.randint(1, 28))
    mid = "MSG%010d" % i
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="urn:swift:xsd:envelope">
  <AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">
    <Fr><FIId><FinInstnId><BICFI>{db}</BICFI></FinInstnId></FIId></Fr>
    <To><FIId><FinInstnId><BICFI>{ib}</BICFI></FinInstnId></FIId></To>
    <BizMsgIdr>{mid}</BizMsgIdr>
    <MsgDefIdr>pacs.008.001.08</MsgDefIdr>
    <BizSvc>swift.cbprplus.02</BizSvc>
    <CreDt>{day}T10:00:00Z</CreDt>
  </AppHdr>
  <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
    <FIToFICstmrCdtTrf>
      <GrpHdr>
        <MsgId>{mid}</MsgId>
        <CreDtTm>{day}T10:00:00Z</CreDtTm>
        <NbOfTxs>1</NbOfTxs>
        <SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf>
      </GrpHdr>
      <CdtTrfTxInf>
        <PmtId>
          <InstrId>I{i:012d}</InstrId>
          <EndToEndId>E2E{i:012d}</EndToEndId>
          <UETR>{r.getrandbits(32):08x}-{r.getrandbits(16):04x}-4{r.getrandbits(12):03x}-a{r.getrandbits(12):03x}-{r.getrandbits(48):012x}</UETR>
        </PmtId>
        <IntrBkSttlmAmt Ccy="EUR">{amt}</IntrBkSttlmAmt>
        <IntrBkSttlmDt>{day}</IntrBkSttlmDt>
        <ChrgBr>SHAR</ChrgBr>
        <InstgAgt><FinInstnId><BICFI>{db}</BICFI></FinInstnId></InstgAgt>
        <InstdAgt><FinInstnId><BICFI>{ib}</BICFI></FinInstnId></InstdAgt>
        <IntrmyAgt1><FinInstnId><BICFI>{ib}</BICFI></FinInstnId></IntrmyAgt1>
        <Dbtr>
          <Nm>{name(r)}</Nm>
          <PstlAdr><StrtNm>Main Street</StrtNm><BldgNb>{r.randint(1, 300)}</BldgNb><PstCd>{r.randint(10000, 99999)}</PstCd><TwnNm>{dt}</TwnNm><Ctry>{dc}</Ctry></PstlAdr>
        </Dbtr>
        <DbtrAcct><Id>{acct_xml(r, dc)}</Id></DbtrAcct>
        <DbtrAgt><FinInstnId><BICFI>{db}</BICFI></FinInstnId></DbtrAgt>
        <CdtrAgt><FinInstnId><BICFI>{cb}</BICFI></FinInstnId></CdtrAgt>
        <Cdtr>
          <Nm>{name(r)}</Nm>
          <PstlAdr><StrtNm>Harbour Road</StrtNm><BldgNb>{r.randint(1, 300)}</BldgNb><TwnNm>{ct}</TwnNm><Ctry>{cc}</Ctry></PstlAdr>
        </Cdtr>
        <CdtrAcct><Id>{acct_xml(r, cc)}</Id></CdtrAcct>
        <RmtInf><Ustrd>Invoice {r.randint(1000, 99999)} goods and services</Ustrd></RmtInf>
      </CdtTrfTxInf>
    </FIToFICstmrCdtTrf>
  </Document>
</Envelope>
"""


def mt103(r, i):
    dc, dt = r.choice(TOWNS)
    cc, ct = r.choice(TOWNS)
    s, d = r.choice(BICS), r.choice(BICS)
    amt = "%d,%02d" % (r.randint(1, 5000000), r.randint(0, 99))
    day = "26%02d%02d" % (r.randint(1, 12), r.randint(1, 28))
    return (f"{{1:F01{s[:8]}A{s[8:]}0000000000}}{{2:I103{d[:8]}X{d[8:]}N}}"
            f"{{3:{{121:{r.getrandbits(32):08x}-{r.getrandbits(16):04x}-4{r.getrandbits(12):03x}-a{r.getrandbits(12):03x}-{r.getrandbits(48):012x}}}}}{{4:\r\n"
            f":20:REF{i:012d}\r\n:23B:CRED\r\n:32A:{day}EUR{amt}\r\n"
            f":50K:/{account(r, dc)}\r\n{name(r).upper()}\r\nMAIN STREET {r.randint(1, 300)}\r\n{dt.upper()}\r\n"
            f":52A:{s}\r\n:56A:{r.choice(BICS)}\r\n:57A:{d}\r\n"
            f":59F:/{account(r, cc)}\r\n1/{name(r).upper()}\r\n2/HARBOUR ROAD {r.randint(1, 300)}\r\n3/{cc}/{ct.upper()}\r\n"
            f":70:/INV/{r.randint(1000, 99999)}\r\n:71A:SHA\r\n-}}$")


def bulk_head(n):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
  <FIToFICstmrCdtTrf>
    <GrpHdr>
      <MsgId>BULK-1</MsgId>
      <CreDtTm>2026-01-01T10:00:00Z</CreDtTm>
      <NbOfTxs>{n}</NbOfTxs>
      <SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf>
    </GrpHdr>
"""


BULK_TAIL = "  </FIToFICstmrCdtTrf>\n</Document>\n"


def bulk_txn(r, i):
    m = pacs008(r, i)
    a = m.index("      <CdtTrfTxInf>")
    b = m.index("</CdtTrfTxInf>") + len("</CdtTrfTxInf>\n")
    return m[a:b]


def main():
    kind, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
    r = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    make = {"pacs008": bulk_txn, "pacs008msgs": pacs008, "mt103": mt103}[kind]
    limit = mb * 1024 * 1024
    n = size = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        if kind == "pacs008":
            f.write(bulk_head("0"))  # NbOfTxs is not checked by the reader
        buf = []
        while size < limit:
            m = make(r, n)
            buf.append(m)
            size += len(m)
            n += 1
            if len(buf) == 2000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
        if kind == "pacs008":
            f.write(BULK_TAIL)
    print(f"{out}: {n} messages, {size} bytes")


main()
