/*
 * mx_int.h: private to the payments module's ISO 20022 reader.  The SAX
 * events and the feeding (mx_read.c) and the mapping of elements onto the
 * payment layers (mx_map.c) share the reader's state, below: the element
 * stack, the depths of the levels the current element is in, the party
 * and the value being read.
 */
#ifndef TXS_MX_INT_H
#define TXS_MX_INT_H

#include <libxml/SAX2.h>
#include <libxml/parser.h>

#include "payments_int.h"

#define MX_MAX_DEPTH 64
#define MX_MAX_TEXT (64u * 1024u)
#define NS_PREFIX "urn:iso:std:iso:20022:tech:xsd:"

/* ------------------------------------------------------------- names */

/* X(name, role of the element, role whose account it is) */
#define MX_NAMES(X)                                                                  \
    X(Document, -1, -1) X(AppHdr, -1, -1) X(Fr, -1, -1) X(To, -1, -1)                \
    X(FIId, -1, -1) X(FinInstnId, -1, -1) X(BICFI, -1, -1) X(BIC, -1, -1)             \
    X(AnyBIC, -1, -1) X(BICOrBEI, -1, -1) X(BizMsgIdr, -1, -1) X(MsgDefIdr, -1, -1)   \
    X(Rltd, -1, -1) X(GrpHdr, -1, -1) X(PmtInf, -1, -1) X(CdtTrfTxInf, -1, -1)        \
    X(TxInf, -1, -1) X(UndrlygCstmrCdtTrf, -1, -1) X(OrgnlTxRef, -1, -1)              \
    X(MsgId, -1, -1) X(CreDtTm, -1, -1) X(IntrBkSttlmDt, -1, -1) X(PmtInfId, -1, -1)  \
    X(ReqdExctnDt, -1, -1) X(Dt, -1, -1) X(DtTm, -1, -1) X(PmtId, -1, -1)             \
    X(InstrId, -1, -1) X(EndToEndId, -1, -1) X(TxId, -1, -1) X(UETR, -1, -1)          \
    X(OrgnlInstrId, -1, -1) X(OrgnlEndToEndId, -1, -1) X(OrgnlTxId, -1, -1)           \
    X(OrgnlUETR, -1, -1) X(RtrId, -1, -1) X(RmtInf, -1, -1) X(Ustrd, -1, -1)          \
    X(Ref, -1, -1) X(AddtlRmtInf, -1, -1) X(RgltryRptg, -1, -1) X(Inf, -1, -1)        \
    X(InstrForCdtrAgt, -1, -1) X(InstrForNxtAgt, -1, -1) X(InstrInf, -1, -1)          \
    X(Purp, -1, -1) X(Cd, -1, -1) X(Prtry, -1, -1) X(ChrgBr, -1, -1)                  \
    X(IntrBkSttlmAmt, -1, -1) X(RtrdIntrBkSttlmAmt, -1, -1) X(InstdAmt, -1, -1)       \
    X(RtrdInstdAmt, -1, -1) X(Amt, -1, -1) X(Pty, -1, -1) X(Agt, -1, -1)              \
    X(Nm, -1, -1) X(LEI, -1, -1) X(Othr, -1, -1) X(Id, -1, -1) X(SchmeNm, -1, -1)     \
    X(IBAN, -1, -1) X(PstlAdr, -1, -1) X(StrtNm, -1, -1) X(BldgNb, -1, -1)            \
    X(PstCd, -1, -1) X(TwnNm, -1, -1) X(CtrySubDvsn, -1, -1) X(Ctry, -1, -1)          \
    X(AdrLine, -1, -1) X(CtryOfRes, -1, -1) X(ClrSysMmbId, -1, -1) X(ClrSysId, -1, -1) \
    X(MmbId, -1, -1) X(BrnchId, -1, -1) X(CtctDtls, -1, -1) X(AdrTp, -1, -1)          \
    X(FIToFICstmrCdtTrf, -1, -1) X(FICdtTrf, -1, -1) X(PmtRtr, -1, -1)                \
    X(CstmrCdtTrfInitn, -1, -1) X(EqvtAmt, -1, -1) X(ChrgsInf, -1, -1) X(Tp, -1, -1) X(Prxy, -1, -1)     \
    X(Dbtr, TXS_ROLE_DEBTOR, -1) X(Cdtr, TXS_ROLE_CREDITOR, -1)                       \
    X(UltmtDbtr, TXS_ROLE_ULT_DEBTOR, -1) X(UltmtCdtr, TXS_ROLE_ULT_CREDITOR, -1)     \
    X(InitgPty, TXS_ROLE_INITIATING, -1) X(DbtrAgt, TXS_ROLE_DEBTOR_AGENT, -1)        \
    X(CdtrAgt, TXS_ROLE_CREDITOR_AGENT, -1) X(IntrmyAgt1, TXS_ROLE_INTERMEDIARY1, -1) \
    X(IntrmyAgt2, TXS_ROLE_INTERMEDIARY2, -1) X(IntrmyAgt3, TXS_ROLE_INTERMEDIARY3, -1) \
    X(InstgAgt, TXS_ROLE_INSTRUCTING, -1) X(InstdAgt, TXS_ROLE_INSTRUCTED, -1)        \
    X(PrvsInstgAgt1, TXS_ROLE_PREV_INSTRUCTING1, -1)                                  \
    X(PrvsInstgAgt2, TXS_ROLE_PREV_INSTRUCTING2, -1)                                  \
    X(PrvsInstgAgt3, TXS_ROLE_PREV_INSTRUCTING3, -1)                                  \
    X(InstgRmbrsmntAgt, TXS_ROLE_INSTG_REIMB, -1)                                     \
    X(InstdRmbrsmntAgt, TXS_ROLE_INSTD_REIMB, -1)                                     \
    X(ThrdRmbrsmntAgt, TXS_ROLE_THIRD_REIMB, -1)                                      \
    X(DbtrAcct, -1, TXS_ROLE_DEBTOR) X(CdtrAcct, -1, TXS_ROLE_CREDITOR)               \
    X(DbtrAgtAcct, -1, TXS_ROLE_DEBTOR_AGENT) X(CdtrAgtAcct, -1, TXS_ROLE_CREDITOR_AGENT) \
    X(IntrmyAgt1Acct, -1, TXS_ROLE_INTERMEDIARY1)                                     \
    X(IntrmyAgt2Acct, -1, TXS_ROLE_INTERMEDIARY2)                                     \
    X(IntrmyAgt3Acct, -1, TXS_ROLE_INTERMEDIARY3)                                     \
    X(PrvsInstgAgt1Acct, -1, TXS_ROLE_PREV_INSTRUCTING1)                              \
    X(PrvsInstgAgt2Acct, -1, TXS_ROLE_PREV_INSTRUCTING2)                              \
    X(PrvsInstgAgt3Acct, -1, TXS_ROLE_PREV_INSTRUCTING3)                              \
    X(InstgRmbrsmntAgtAcct, -1, TXS_ROLE_INSTG_REIMB)                                 \
    X(InstdRmbrsmntAgtAcct, -1, TXS_ROLE_INSTD_REIMB)                                 \
    X(ThrdRmbrsmntAgtAcct, -1, TXS_ROLE_THIRD_REIMB)

enum {
    N_OTHER = 0,
#define X_ENUM(n, r, a) N_##n,
    MX_NAMES(X_ENUM)
#undef X_ENUM
    N_COUNT
};

/* The interned names' table: text, role, account role (mx_read.c). */
typedef struct mx_name {
    const char *s;
    int8_t role, acct;
} mx_name;
extern const mx_name txs__mx_names[N_COUNT];

#define HASH_SLOTS 512u
typedef struct name_slot {
    const xmlChar *p;
    int id;
} name_slot;

typedef struct frame {
    int id;
    const xmlChar *name;
} frame;

/* A value's element path (its source), kept for the rest of the message:
 * the same few dozen paths come back in every transaction.  Keyed by the
 * names' pointers, which libxml2 interns for the parser's life; gen is the
 * message's (x->path_gen), so a slot of an earlier message never answers
 * (its pointers and its text may be gone).  Four slots a bucket; the text
 * kept for one message is bounded (MX_PATH_BYTES), past which paths are
 * made per value as before (a message is one file of a million
 * transactions as often as one payment). */
#define MX_PATH_SLOTS 256u
#define MX_PATH_WAYS 4u
#define MX_PATH_NAMES 8
#define MX_PATH_BYTES (64u * 1024u)
typedef struct mx_path {
    uint64_t gen;
    uint32_t n, len;
    const xmlChar *nm[MX_PATH_NAMES];
    const char *s;
} mx_path;

enum { CAP_SET = 1, CAP_APPEND, CAP_APPEND_SP, CAP_DATE, CAP_FALLBACK_DATE, CAP_DEF, CAP_FR, CAP_TO };

struct txs_mx_reader {
    const txs_pay_ctx *c;
    xmlParserCtxtPtr ctxt;
    name_slot slot[HASH_SLOTS];
    frame st[MX_MAX_DEPTH + 1];
    int depth;
    /* declaration filter */
    int in_decl, began;
    char carry[8];
    size_t ncarry;
    char *fbuf;
    size_t fcap;
    /* the message */
    uint64_t msgno, msg_line, txn_line;
    int doc_depth, app_depth, grp_depth, blk_depth, txn_depth, scope, scope_depth;
    int skip_depth, has_doc, msg_bad, txn_bad, ntx, ntx_ok, family, grp_fallback;
    char kind[48], hdr_def[48], fr[16], to[16], why[256], where[256];
    txs_arena a_grp, a_blk, a_txn;
    txs_arena a_path;   /* the paths' text, reset at each message */
    uint64_t path_gen;
    size_t path_bytes;  /* text kept in a_path for this message */
    mx_path paths[MX_PATH_SLOTS];
    txs_pay_layer grp, blk, txn;
    /* the party being read */
    txs_pay_party *party;
    int party_depth, acct;
    /* the value being read */
    int cap, cap_depth, cap_base;
    txs_slice *cap_v, *cap_s;
    txs_pay_layer *cap_l;
    txs_arena *cap_a;
    char *txt;
    size_t ntxt;
    txs_pay_out out;
    int fatal;          /* out of memory or a sink's status: the read stops */
    /* validation (mx_xsd.c): a tree per message, then a replay of it */
    txs_mx_xsd *xsd;    /* borrowed from the reader; NULL: no validation */
    int replaying;
    uint64_t replay_line;
};

/* The line of the element being read (its own line when replaying). */
static inline uint64_t txs__mx_line(const txs_mx_reader *x)
{
    return x->replaying ? x->replay_line : (uint64_t)xmlSAX2GetLineNumber(x->ctxt);
}

/* The element handlers (mx_read.c), also called by the replay. */
void txs__mx_on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                      int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs);
void txs__mx_on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri);
void txs__mx_on_chars(void *ctx, const xmlChar *p, int n);

/* Validating (mx_xsd.c): events build the message's tree; at the
 * message's end it is validated, then replayed or rejected. */
void txs__mx_tree_start(txs_mx_reader *x, const xmlChar *local, const xmlChar *prefix,
                        const xmlChar *uri, int nns, const xmlChar **ns, int nattr, int ndef,
                        const xmlChar **attrs);
void txs__mx_tree_chars(txs_mx_reader *x, const xmlChar *p, int n);
/* 0 or a negative sink status. */
int txs__mx_tree_end(txs_mx_reader *x, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri);
int txs__mx_xsd_message(txs_mx_reader *x, xmlNodePtr msg);


/* Mark the transaction (outside one, the message) bad at the path from
 * depth base (no path when base < 0); the first reason wins. */
void txs__mx_bad(txs_mx_reader *x, int base, const char *reason);
/* Start reading the current element's text into v (src gets its path). */
void txs__mx_capture(txs_mx_reader *x, int kind, txs_slice *v, txs_slice *s);
/* The captured text, trimmed, into its value; 0 or TXS_E_NOMEM. */
int txs__mx_commit(txs_mx_reader *x);
/* A Document element: the message and version from its namespace. */
void txs__mx_document(txs_mx_reader *x, const xmlChar *uri);
/* An element inside the Document. */
void txs__mx_in_document(txs_mx_reader *x, int id, const xmlChar **attrs, int nattr);
/* Any Ccy attribute naming a precious metal rejects the message. */
void txs__mx_commodity_attr(txs_mx_reader *x, const xmlChar **attrs, int nattr);
void txs__mx_message_start(txs_mx_reader *x);
/* Counts the message and rejects it when it is bad; a sink status. */
int txs__mx_message_end(txs_mx_reader *x);
/* Builds and sends (or rejects) the transaction; a sink status. */
int txs__mx_txn_end(txs_mx_reader *x);

#endif /* TXS_MX_INT_H */
