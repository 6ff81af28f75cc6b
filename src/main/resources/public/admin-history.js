// The history's `detail` in Korean, for the admin page (admin.js). The server writes each detail as
// one English sentence for its log and its developers (payment/PaymentRules, PaymentSync, Refunds,
// AdminHandler); the owner reads it here in Korean. The sentences are built from a few fixed clauses
// joined by "; ", so each clause is matched on its own; amounts, ids and times are carried over as sent.
// A clause this table does not know is not guessed at: the row then says so, and the English original
// is always one click away (the <details> below each row) for a developer.
"use strict";

const HISTORY_STATUS_KO = {
  pending: "결제 대기", awaiting_deposit: "입금 대기", paid: "결제 완료",
  partially_refunded: "부분 환불", cancelled: "취소",
};
const M = String.raw`(-?\d+(?:\.\d+)? [A-Z]{3})`; // an amount with its currency, as the server writes it
const ID = String.raw`(\S+)`;

// [English clause as a regular expression, Korean with $1.. for what was captured]; first match wins
const HISTORY_CLAUSES = [
  [String.raw`paid ${M}`, "$1 결제 확인"],
  [String.raw`paid ${M}, of which ${M} was already refunded at PortOne: ${M} held, order partly refunded`,
    "$1 결제, 그중 $2은(는) 보고 전에 PortOne에서 이미 환불됨: $3 남음, 주문은 부분 환불"],
  [String.raw`paid ${M} and refunded in full at PortOne before it was reported`, "$1 결제 후 보고 전에 PortOne에서 전액 환불됨"],
  ["order unchanged", "주문은 그대로"],
  [String.raw`order already paid by ${ID}`, "주문은 이미 다른 결제($1)로 완료됨"],
  ["order was cancelled before this payment", "이 결제 전에 주문이 취소됨"],
  ["order was cancelled", "주문이 취소됨"],
  [String.raw`partly refunded: ${M} of ${M}, ${M} held`, "부분 환불: $2 중 $1 환불, $3 남음"],
  [String.raw`deposit of ${M} arrived`, "$1 입금 확인"],
  [String.raw`deposit of ${M} arrived and was partly refunded: ${M} of ${M}, ${M} held before it was reported`,
    "$1 입금 후 보고 전에 부분 환불됨: $3 중 $2 환불, $4 남음"],
  [String.raw`deposit of ${M} arrived and was refunded in full before it was reported`, "$1 입금 후 보고 전에 전액 환불됨"],
  [String.raw`fully refunded ${M}`, "$1 전액 환불"],
  [String.raw`the rest was refunded: fully refunded ${M}`, "남은 금액도 환불되어 $1 전액 환불"],
  [String.raw`stale report \(balance ${M}\): the order is already partly refunded`, "늦게 도착한 보고 (잔액 $1): 주문은 이미 부분 환불 상태"],
  [String.raw`stale report \(balance ${M}\): the order is already cancelled`, "늦게 도착한 보고 (잔액 $1): 주문은 이미 취소 상태"],
  [String.raw`stale report: order is (\w+)`, (m) => `늦게 도착한 보고: 주문은 이미 ${HISTORY_STATUS_KO[m[1]] || m[1]} 상태`],
  ["already applied", "이미 반영됨"],
  ["virtual account revoked before any deposit", "입금 전에 가상계좌가 취소됨"],
  ["nothing was paid", "결제된 금액 없음"],
  ["ready without a virtual account: the payment was not completed", "결제가 끝나지 않음 (가상계좌 없는 ready 상태)"],
  [String.raw`virtual account expired at ${ID} without deposit`, (m) => `가상계좌가 입금 없이 만료됨 (기한 ${time(m[1])})`],
  ["order is payable again", "주문을 다시 결제할 수 있음"],
  [String.raw`expected ${M}, PortOne reports ${M}`, "금액 불일치: 주문 $1, PortOne 결제 $2"],
  ["virtual account not accepted, nothing was paid", "가상계좌를 받아들이지 않음, 결제된 금액 없음"],
  [String.raw`virtual account (.+) issued, deposit due ${ID}`, (m) => `가상계좌 발급 (${m[1]}), 입금 기한 ${time(m[2])}`],
  [String.raw`PortOne reports failed: (.*)`, "PortOne이 결제 실패를 알림: $1"],
  ["not refunded: AUTO_CANCEL_FORGERIES is off", "AUTO_CANCEL_FORGERIES가 꺼져 있어 환불하지 않음"],
  ["nothing left to refund", "환불할 잔액 없음"],
  [String.raw`refund due: ${M}`, "$1 환불 예정"],
  [String.raw`refund of ${M} waits for the shop: a deposited virtual account is refunded only to a bank account the buyer names \(POST (\S+) with (.*)\)`,
    "$1 환불은 가게가 해야 함: 입금된 가상계좌는 구매자가 알려 준 계좌로만 환불됨 (POST $2, 본문에 $3)"],
  [String.raw`refunded ${M}`, "$1 환불"],
  [String.raw`PortOne's record settles the refund: (-?\d+(?:\.\d+)?) of ${M} refunded, nothing left`,
    (m) => `PortOne 기록으로 환불 확정: ${m[2]} 중 ${m[1]} ${m[2].split(" ")[1]} 환불, 남은 금액 없음`],
  [String.raw`virtual account closed at PortOne \((.*)\): nobody can deposit into it any more`,
    (m) => `PortOne에서 가상계좌를 닫음 (${historyClause(m[1]) ?? m[1]}): 더 이상 입금할 수 없음`],
  [String.raw`could not close the virtual account \((.*?)\): (.*)`,
    (m) => `가상계좌를 닫지 못함 (${historyClause(m[1]) ?? m[1]}): ${m[2]}`],
  ["a deposit into it waits for the shop to refund it to the buyer's bank account", "그 계좌에 입금되면 가게가 구매자 계좌로 환불해야 함"],
  [String.raw`its virtual account ${ID} is closed at PortOne`, "주문이 기다리던 가상계좌 $1을(를) PortOne에서 닫음"],
  ["the account is closed at PortOne so that nobody deposits into it", "아무도 입금하지 않도록 PortOne에서 계좌를 닫음"],
  [String.raw`order ${ID} is now paid by ${ID}`, "주문 $1은(는) 이제 결제 $2(으)로 완료됨"],
  [String.raw`order ${ID} is already (\w+) by ${ID}`, (m) => `주문 ${m[1]}은(는) 이미 결제 ${m[3]}(으)로 ${HISTORY_STATUS_KO[m[2]] || m[2]} 상태`],
  ["its amount does not match the order's", "금액이 주문과 다름"],
  [String.raw`PortOne's answer was lost: the next reconciliation pass settles the refund from PortOne's record`,
    "PortOne의 답이 오지 않음: 다음 정기 대조가 PortOne의 기록으로 환불을 마무리함"],
  [String.raw`PortOne knows no payment ${ID}: the order's state is the shop's last record, which PortOne does not confirm`,
    "PortOne이 결제 $1을(를) 알지 못함: 주문 상태는 가게의 마지막 기록일 뿐, PortOne이 확인한 것이 아님"],
  ["PortOne V2 knows no such payment for this store", "PortOne V2에 이 상점의 그런 결제가 없음"],
  [String.raw`PortOne's merchant_uid ${ID} is not an order of ours`, "PortOne이 알린 주문번호 $1은(는) 이 상점의 주문이 아님"],
  [String.raw`unrecognized PortOne status '(.*)': not treated as paid`, "알 수 없는 PortOne 상태 '$1': 결제로 보지 않음"],
].map(([english, korean]) => [new RegExp(`^${english}$`), korean]);

/** One clause in Korean, or null when the table does not know it. */
function historyClause(clause) {
  for (const [pattern, korean] of HISTORY_CLAUSES) {
    const m = clause.match(pattern);
    if (m) return typeof korean === "function" ? korean(m) : clause.replace(pattern, korean);
  }
  return null;
}

/**
 * A whole detail in Korean: {text, complete}; complete is false when some clause was not known (its
 * place then says so). A shop's refund reason is the owner's own words and may hold "; " itself.
 */
function historyDetailKo(detail) {
  const byShop = detail.match(/^refund by the shop: (.*?)( \(not the order's own payment, which (?:is (\S+)|has none)\))?$/s);
  if (byShop) {
    const other = !byShop[2] ? "" : byShop[3] ? ` (주문에 연결된 결제가 아님, 주문의 결제는 ${byShop[3]})` : " (주문에 연결된 결제가 아님, 주문에는 결제가 없음)";
    return { text: `가게의 환불, 사유: ${byShop[1]}${other}`, complete: true }; // the owner's words, as typed
  }
  const clauses = detail.split("; ").map((clause) => historyClause(clause));
  return {
    text: grouped(clauses.map((korean) => korean ?? "(번역되지 않은 내용: 원문 참고)").join("; ")),
    complete: clauses.every((korean) => korean !== null),
  };
}

/** Amounts as the rest of the page writes them (15,000 KRW); the digits of an id such as imp_1234 stay as they are. */
function grouped(text) {
  return text.replace(/(?<![\w.,])(\d+(?:\.\d+)?) ([A-Z]{3})\b/g, (all, amount, currency) => money(amount, currency));
}
