/* The built-in processes of DESIGN §2, as data. Roles in [brackets] in the
 * design are `roles` here; rules are guards by name, in the order the
 * design lists them (the first failing one answers). */
#include "fsm/fsm.h"

#define N(a) (uint32_t)(sizeof(a) / sizeof((a)[0]))

static const l2c__trans_def account_t[] = {
    {"hold", "active", "on_hold", NULL, "finance", NULL, false},
    {"release", "on_hold", "active", NULL, "finance", NULL, false},
    {"close", "active on_hold", "closed", NULL, NULL, "account.has_open_balance", false},
};

static const l2c__trans_def lead_t[] = {
    {"contact", "new", "working", NULL, NULL, NULL, false},
    {"qualify", "new working", "qualified", NULL, NULL, NULL, false},
    {"disqualify", "new working qualified", "disqualified", NULL, NULL, NULL, false},
    {"reopen", "disqualified", "working", NULL, NULL, NULL, false},
    {"convert", "qualified", "converted", NULL, NULL, "account.closed", false},
};

#define OPP_OPEN "prospecting qualification proposal negotiation"
static const l2c__trans_def opportunity_t[] = {
    {"qualify", "prospecting", "qualification", NULL, NULL, NULL, false},
    {"propose", "qualification", "proposal", NULL, NULL, NULL, false},
    {"negotiate", "proposal", "negotiation", NULL, NULL, NULL, false},
    {"win", OPP_OPEN, "won", NULL, NULL, "opportunity.no_accepted_quote", false},
    {"lose", OPP_OPEN, "lost", NULL, NULL, NULL, false},
    {"reopen", "lost", "qualification", NULL, NULL, NULL, false},
};

#define QUOTE_OPEN "draft pending_approval approved sent"
static const l2c__trans_def quote_t[] = {
    {"submit", "draft", "pending_approval", NULL, NULL, NULL, false},
    {"approve", "pending_approval", "approved", NULL, "sales_manager", NULL, false},
    {"reject", "pending_approval", "draft", NULL, "sales_manager", NULL, false},
    {"send", "draft approved", "sent", NULL, NULL,
     "quote.empty quote.approval_required quote.expired", false},
    {"accept", "sent", "accepted", NULL, NULL,
     "account.closed quote.expired quote.opportunity_closed", false},
    {"decline", "sent", "declined", NULL, NULL, NULL, false},
    {"expire", "sent", "expired", NULL, NULL, "quote.not_expired", false},
    {"revise", "sent declined expired", "superseded", NULL, NULL, "quote.opportunity_closed", false},
    {"cancel", QUOTE_OPEN, "cancelled", NULL, NULL, NULL, false},
};

static const l2c__trans_def order_t[] = {
    {"confirm", "draft", "confirmed", NULL, NULL,
     "account.closed account.on_hold account.credit_limit_exceeded", false},
    {"hold", "confirmed", "on_hold", NULL, NULL, NULL, false},
    {"release", "on_hold", "confirmed", NULL, NULL, NULL, false},
    {"fulfill", "confirmed", "confirmed", NULL, NULL, "order.overfulfillment", false},
    {"complete", "confirmed", "completed", NULL, NULL, NULL, true},
    {"close", "confirmed", "closed", NULL, NULL, NULL, false},
    {"cancel", "draft confirmed on_hold", "cancelled", NULL, NULL,
     "order.has_fulfillment order.has_invoices", false},
};

#define INVOICE_OPEN "issued overdue disputed"
static const l2c__trans_def invoice_t[] = {
    {"issue", "draft", "issued", NULL, NULL, NULL, false},
    {"mark_overdue", "issued", "overdue", NULL, NULL, "invoice.not_due", false},
    {"dispute", "issued overdue", "disputed", NULL, NULL, NULL, false},
    {"resolve", "disputed", "issued|overdue", "by_due_date", NULL, NULL, false},
    {"settle", INVOICE_OPEN, "paid", NULL, NULL, NULL, true},
    {"reopen", "paid", "issued|overdue", "by_due_date", NULL, NULL, true},
    {"void", "draft " INVOICE_OPEN, "void", NULL, "finance", "invoice.has_payments order.finished", false},
    {"write_off", INVOICE_OPEN, "written_off", NULL, "finance", NULL, false},
};

static const l2c__trans_def payment_t[] = {
    {"allocate", "received", "received", NULL, NULL,
     "currency.mismatch account.mismatch invoice.not_open payment.over_allocation "
     "invoice.overpayment",
     false},
    {"reverse", "received", "reversed", NULL, "finance", NULL, false},
    {"refund", "received", "refunded", NULL, "finance", "payment.allocated", false},
};

#define CN_RULES "invoice.not_creditable credit_note.exceeds_invoice"
static const l2c__trans_def credit_note_t[] = {
    {"issue", "draft", "issued", NULL, NULL, CN_RULES, false},
    {"void", "draft", "void", NULL, NULL, NULL, false},
};

const l2c__process_def l2c__builtin_defs[] = {
    {"account", "active on_hold closed", "closed", NULL, NULL, NULL, account_t, N(account_t), NULL},
    {"lead", "new working qualified converted disqualified", "converted", NULL, NULL, NULL,
     lead_t, N(lead_t), NULL},
    {"opportunity", OPP_OPEN " won lost", "won", OPP_OPEN, "account.closed", NULL, opportunity_t,
     N(opportunity_t), NULL},
    {"quote", QUOTE_OPEN " accepted declined expired superseded cancelled",
     "accepted superseded cancelled", QUOTE_OPEN, "account.closed quote.opportunity_closed", NULL,
     quote_t, N(quote_t), NULL},
    {"order", "draft confirmed on_hold completed closed cancelled", "completed closed cancelled",
     NULL, "account.closed", NULL, order_t, N(order_t), NULL},
    {"invoice", "draft " INVOICE_OPEN " paid void written_off", "void written_off", INVOICE_OPEN,
     "order.not_confirmed invoice.exceeds_order invoice.empty",
     "order.not_confirmed invoice.exceeds_order invoice.empty", invoice_t, N(invoice_t), NULL},
    {"payment", "received reversed refunded", "reversed refunded", NULL, NULL, NULL, payment_t,
     N(payment_t), NULL},
    {"credit_note", "draft issued void", "issued void", NULL, CN_RULES, CN_RULES, credit_note_t,
     N(credit_note_t), NULL},
};

const uint32_t l2c__builtin_ndefs = N(l2c__builtin_defs);
