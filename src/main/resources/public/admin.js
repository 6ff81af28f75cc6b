// The shop owner's page over the admin API (/admin/...): the orders, one order's payments and
// history, a re-sync with PortOne and refunds. Plain JavaScript, no build step, like checkout.js.
//
// Everything shown comes from the server as data and is inserted with textContent / DOM nodes,
// never innerHTML: order names, reasons and PortOne's details are written by buyers and third
// parties, and this page holds a token that can move money.
"use strict";

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "portone-verify.admin-token";
const PAGE_SIZE = 20;

const ORDER_STATUS = {
  pending: "결제 대기",
  awaiting_deposit: "입금 대기",
  paid: "결제 완료",
  partially_refunded: "부분 환불",
  cancelled: "취소",
};
const SOURCE = {
  browser: "브라우저",
  webhook: "웹훅",
  reconciliation: "정기 대조",
  confirm: "승인 전 확인",
  admin: "관리자",
};
const OUTCOME = {
  paid: "결제 확인",
  vbank_issued: "가상계좌 발급",
  partially_cancelled: "부분 환불",
  forgery: "위조된 결제",
  test_payment: "테스트 결제 거부",
  not_paid: "미결제",
  failed: "결제 실패",
  cancelled: "취소됨",
  paid_by_other: "중복 결제",
  order_closed: "닫힌 주문",
  unknown_order: "알 수 없는 주문",
  unknown_payment: "알 수 없는 결제",
  refunded: "환불",
  refund_failed: "환불 실패",
  confirmed: "승인 허용",
  confirm_refused: "승인 거부",
  vbank_closed: "가상계좌 닫음",
  vbank_close_failed: "가상계좌 닫기 실패",
};
// The rows an owner must not miss: money that should not have arrived, or did not go back.
const ALARMING = new Set(["forgery", "refund_failed", "confirm_refused", "paid_by_other", "vbank_close_failed"]);
const GOOD = new Set(["paid", "vbank_issued", "confirmed"]);
const REFUND_OUTCOME = {
  cancelled: "전액 환불되었습니다. 주문이 취소되었습니다.",
  partially_cancelled: "일부 환불되었습니다. 주문은 부분 환불 상태가 됩니다.",
};
// The API's refusals ({status, message}) in the owner's words; the server's message follows.
const API_ERROR = {
  unauthorized: "관리자 토큰이 맞지 않습니다.",
  nothing_to_refund: "환불할 금액이 없습니다.",
  amount_too_large: "남은 금액보다 많이 환불할 수 없습니다.",
  refund_account_required: "가상계좌 결제는 환불받을 계좌(예금주, 은행, 계좌번호)가 필요합니다.",
  unknown_order: "그런 주문이 없습니다.",
  unknown_payment: "이 상점의 주문에 보고된 적 없는 결제입니다.",
  portone_timeout: "PortOne이 제때 답하지 않았습니다. 잠시 후 다시 시도하세요.",
  portone_unavailable: "PortOne에 연결할 수 없습니다. 잠시 후 다시 시도하세요.",
  portone_auth: "PortOne이 이 상점의 API 키를 거절했습니다.",
  portone_error: "PortOne이 오류로 답했습니다.",
  invalid_refund_bank: "PortOne V2 환불은 은행을 V2 코드(예: KOOKMIN, NONGHYUP)로 적어야 합니다.",
  // the words web/ApiException, App's exception mapping and web/JsonErrorHandler really send
  invalid_request: "요청을 확인해 주세요.",
  unsupported_media_type: "요청 형식(Content-Type)이 JSON이 아닙니다.",
  body_too_large: "요청이 너무 큽니다.",
  request_timeout: "요청 본문이 제때 도착하지 않았습니다.",
  method_not_allowed: "이 주소는 그 방식의 요청을 받지 않습니다.",
  not_found: "그런 주소가 없습니다.",
  rate_limited: "요청이 너무 많습니다. 잠시 후 다시 시도하세요.",
  database_unavailable: "데이터베이스에 기록할 수 없습니다. 잠시 후 다시 시도하고, 계속되면 서버 로그를 확인하세요.",
  internal_error: "서버 오류입니다. 서버 로그를 확인하세요.",
  network: "서버에 연결할 수 없습니다.",
};
// PortOne's V1 payment status words; a partial cancel is also `cancelled`, so the page judges by amounts (paymentState)
const PAYMENT_STATUS = {
  ready: "결제 대기",
  paid: "결제 완료",
  cancelled: "취소",
  failed: "결제 실패",
};

const state = {
  status: "",
  page: 1,
  total: 0,
  detail: null, // the last OrderDetail shown: {order, payments, history}
  listRequest: 0, // only the newest answer is drawn, so a slow old answer never overwrites a new one
  detailRequest: 0,
  adminApi: null, // null until asked, then whether the server has the admin API at all (it has none without ADMIN_TOKEN)
};

// ---- the API ----

// The token lives in sessionStorage, not localStorage or a cookie: it is gone when the tab closes,
// and the browser never attaches it to a request by itself (so no other site can make us refund).
function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function admin(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        Authorization: `Bearer ${token() || ""}`,
        ...(body ? { "Content-Type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      cache: "no-store",
    });
  } catch (e) {
    return { ok: false, status: 0, data: { status: "network", message: String(e) } };
  }
  const data = await response.json().catch(() => ({ status: `http_${response.status}`, message: response.statusText }));
  if (response.status === 401) signedOut();
  // the server may have been restarted without ADMIN_TOKEN; or the path was one no route takes: ask
  else if (response.status === 404 && data.status === "not_found") hasAdminApi().then((has) => has || noAdminApi());
  else if (response.ok) connected();
  return { ok: response.ok, status: response.status, data };
}

/** One line for an API error: what it means here, then the server's own words and code. */
function describe(answer) {
  if (answer.status === 404 && answer.data.status === "not_found") {
    return "이 서버에는 관리자 API가 없습니다. 서버에 ADMIN_TOKEN을 설정하고 다시 시작하세요.";
  }
  const known = API_ERROR[answer.data.status] || `요청이 실패했습니다 (HTTP ${answer.status}).`;
  return `${known} ${answer.data.message || ""} (${answer.data.status || answer.status})`.replace(/\s+/g, " ");
}

function notice(id, kind, text) {
  const element = $(id);
  element.hidden = !text;
  element.className = `notice ${kind}`;
  element.textContent = text || "";
}

// ---- the token ----

/**
 * Whether the server has the admin API: asked once, without a token. A server without ADMIN_TOKEN has no
 * /admin routes (404 not_found); with one, the guard refuses a request without the token (401).
 */
async function probeAdminApi() {
  if (!(await hasAdminApi())) return noAdminApi();
  state.adminApi = true;
  route();
}

async function hasAdminApi() {
  try {
    return (await fetch("/admin/orders?size=1", { cache: "no-store" })).status !== 404;
  } catch (e) {
    return true; // unreachable now: the first real request says so
  }
}

/** The one true thing to say: no token can help until the server is restarted with ADMIN_TOKEN. */
function noAdminApi() {
  state.adminApi = false;
  $("no-admin-api").hidden = false;
  for (const id of ["token-form", "token-state", "hint", "auth-message", "list-view", "detail-view"]) $(id).hidden = true;
}

/** The server accepted the token: only now does the page say "연결됨". */
function connected() {
  $("connected").hidden = false;
}

function signedOut() {
  // a wrong token is not kept: the next reload asks again instead of failing again
  sessionStorage.removeItem(TOKEN_KEY);
  $("connected").hidden = true;
  showTokenState();
  $("list-view").hidden = true;
  $("detail-view").hidden = true;
  notice("auth-message", "bad", "관리자 토큰이 맞지 않습니다 (401). 서버를 시작할 때 설정한 ADMIN_TOKEN 값을 그대로 입력하세요.");
}

/** With a token: "연결됨" and a way to forget it. Without: the field, and what to type into it. */
function showTokenState() {
  if (state.adminApi === false) return noAdminApi();
  const signedIn = Boolean(token());
  if (!signedIn) $("connected").hidden = true;
  $("token-form").hidden = signedIn;
  $("token-state").hidden = !signedIn;
  $("hint").hidden = signedIn;
}

function signIn(event) {
  event.preventDefault();
  const value = $("token").value.trim();
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  $("token").value = "";
  notice("auth-message", "bad", "");
  showTokenState();
  route();
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  notice("auth-message", "bad", "");
  showTokenState();
  $("list-view").hidden = true;
  $("detail-view").hidden = true;
  $("token").focus();
}

// ---- views: #order=<merchant_uid> is one order, anything else the list ----

function route() {
  if (state.adminApi !== true) return; // not asked yet (probeAdminApi routes when it knows), or there is none
  showTokenState();
  if (!token()) {
    $("list-view").hidden = true;
    $("detail-view").hidden = true;
    return;
  }
  const match = location.hash.match(/^#order=(.+)$/);
  if (match) {
    $("list-view").hidden = true;
    $("detail-view").hidden = false;
    openOrder(decodeURIComponent(match[1]));
  } else {
    $("detail-view").hidden = true;
    $("list-view").hidden = false;
    loadOrders();
    loadProblems();
  }
  window.scrollTo(0, 0);
}

function orderLink(merchantUid) {
  if (!merchantUid) return el("span", { className: "small" }, "(주문 없음)");
  return el("a", { href: `#order=${encodeURIComponent(merchantUid)}`, className: "uid", dataset: { merchantUid } },
    merchantUid);
}

// ---- the list ----

async function loadOrders() {
  const request = ++state.listRequest;
  const query = new URLSearchParams({ page: String(state.page), size: String(PAGE_SIZE) });
  if (state.status) query.set("status", state.status);
  $("orders").setAttribute("aria-busy", "true");
  // until this answer is drawn the rows may be from before (a refund since): not "loaded" for anyone reading
  delete $("orders").dataset.loaded;
  const answer = await admin("GET", `/admin/orders?${query}`);
  if (request !== state.listRequest || answer.status === 401) return;
  $("orders").removeAttribute("aria-busy");
  if (!answer.ok) {
    notice("orders-message", "bad", describe(answer));
    return;
  }
  notice("orders-message", "bad", "");
  const { orders, page, size, total } = answer.data;
  state.total = total;
  $("orders-body").replaceChildren(...orders.map((o) => el("tr", { dataset: { merchantUid: o.merchant_uid, status: o.status } },
    el("td", {}, orderLink(o.merchant_uid)),
    el("td", { className: "name" }, o.name),
    el("td", { className: "num" }, money(o.amount, o.currency)),
    el("td", {}, statusBadge(o.status)),
    el("td", { className: "time", title: o.created_at }, time(o.created_at)))));
  $("orders-empty").hidden = orders.length > 0;
  const first = total === 0 ? 0 : (page - 1) * size + 1;
  const last = (page - 1) * size + orders.length;
  $("page-info").textContent = total === 0 ? "0건" : `${first}–${last} / 총 ${total}건`;
  $("prev").disabled = page <= 1;
  $("next").disabled = page * size >= total;
  // a finished load says for which filter, so a reader (and the page test) knows the table is current
  $("orders").dataset.loaded = `${state.status || "all"}:${page}`;
}

async function loadProblems() {
  const [forgeries, failedOnly, waiting, sms] = await Promise.all([admin("GET", "/admin/forgeries?limit=20"),
    admin("GET", "/admin/refunds/failed"), admin("GET", "/admin/refunds/waiting"), admin("GET", "/admin/sms/failed?limit=20")]);
  const answers = [forgeries, failedOnly, waiting, sms];
  if (answers.some((answer) => answer.status === 401)) return;
  const broken = answers.find((answer) => !answer.ok);
  if (broken) {
    notice("problems-message", "bad", describe(broken));
    return;
  }
  // refunds that failed, and those only the shop can make (a deposited virtual account needs the buyer's account)
  const failed = { data: [...waiting.data, ...failedOnly.data] };
  notice("problems-message", "bad", "");
  // The API lists history rows, newest first; one forged payment is usually reported twice
  // (browser and webhook), so the page shows each payment once, with its latest report.
  const forged = new Map();
  for (const h of forgeries.data) {
    const key = h.imp_uid || `#${h.id}`;
    if (forged.has(key)) forged.get(key).reports += 1;
    else forged.set(key, { ...h, reports: 1 });
  }
  $("forgeries").replaceChildren(...[...forged.values()].map((h) => el("li", { dataset: { impUid: h.imp_uid || "" } },
    orderLink(h.merchant_uid),
    el("div", { className: "bad-text" }, `${money(h.portone_amount, h.portone_currency)} 결제 / 주문 ${money(h.expected_amount, h.expected_currency)}`),
    el("div", { className: "small" }, `${h.imp_uid || "-"} · ${time(h.created_at)}${h.reports > 1 ? ` · ${h.reports}회 보고` : ""}`))));
  $("failed-refunds").replaceChildren(...failed.data.map((p) => el("li", { dataset: { impUid: p.imp_uid } },
    orderLink(p.merchant_uid),
    el("div", { className: "bad-text" }, `${money(subtract(p.amount, p.cancel_amount), p.currency)} 환불 안 됨 (결제 ${money(p.amount, p.currency)})`
      + (p.refund_state === "awaiting_account" ? " · 계좌 필요" : p.refund_state === "requested" ? " · 확인 중" : "")),
    el("div", { className: "small" }, `${p.imp_uid} · ${time(p.updated_at)}`))));
  $("forgeries-count").textContent = String(forged.size);
  $("failed-refunds-count").textContent = String(failed.data.length);
  $("forgeries-count").classList.toggle("alarm", forged.size > 0);
  $("failed-refunds-count").classList.toggle("alarm", failed.data.length > 0);
  $("failed-refunds-hint").hidden = failed.data.length === 0;
  $("failed-sms").replaceChildren(...sms.data.map((m) => el("li", { dataset: { smsId: String(m.id) } },
    el("div", { className: "bad-text" }, `${m.phone} · 사용자 ${m.user_id} · ${m.reason === "rejected" ? "발송 거부" : "재시도 소진"}`),
    el("div", { className: "small" }, m.last_error || ""),
    el("div", { className: "small" }, `${m.message} · ${time(m.created_at)}`))));
  $("failed-sms-count").textContent = String(sms.data.length);
  $("failed-sms-count").classList.toggle("alarm", sms.data.length > 0);
  $("failed-sms-hint").hidden = sms.data.length === 0;
  const none = forged.size === 0 && failed.data.length === 0 && sms.data.length === 0;
  $("problems-none").hidden = !none;
  $("problems-lists").hidden = none;
}

// ---- one order ----

async function openOrder(merchantUid) {
  const request = ++state.detailRequest;
  if (!state.detail || state.detail.order.merchant_uid !== merchantUid) {
    // another order: nothing of the previous one may stay on screen
    $("detail").hidden = true;
    $("sync-result").hidden = true;
    $("refund-result").hidden = true;
    $("refund-form").reset();
    state.refundTarget = null;
  }
  const answer = await admin("GET", `/admin/orders/${encodeURIComponent(merchantUid)}`);
  if (request !== state.detailRequest || answer.status === 401) return;
  if (!answer.ok) {
    $("detail").hidden = true;
    notice("detail-message", "bad", describe(answer));
    return;
  }
  notice("detail-message", "bad", "");
  showDetail(answer.data);
}

function showDetail(detail) {
  state.detail = detail;
  const { order, payments, history } = detail;
  // Every notice below was about the order as it was: drawn again from this state, never left over.
  // (sync and refund write their own result after this, from the same answer.)
  $("sync-result").hidden = true;
  $("refund-result").hidden = true;
  $("order-name").textContent = order.name;
  const badge = statusBadge(order.status, "order-status");
  if (detail.known_to_portone === false) {
    // PortOne denies the payment: the stored status is confirmed by no one, so it must not look green
    badge.className = "badge status-unconfirmed";
    badge.textContent = `${ORDER_STATUS[order.status] || order.status} · PortOne 미확인`;
  }
  $("order-status").replaceWith(badge);
  $("order-status-code").textContent = order.status;
  $("order-uid").textContent = order.merchant_uid;
  $("order-amount").textContent = money(order.amount, order.currency);
  const refunded = refundedOf(order, payments);
  $("order-refund-label").hidden = !refunded;
  $("order-refund").hidden = !refunded;
  $("order-refund").textContent = refunded || "";
  $("order-imp-uid").textContent = order.imp_uid || "-";
  $("order-user").textContent = String(order.user_id);
  $("order-created").textContent = time(order.created_at);
  $("order-updated").textContent = time(order.updated_at);

  $("payments-body").replaceChildren(...payments.map((p) => el("tr",
    { className: p.imp_uid === order.imp_uid ? "bound" : "", dataset: { impUid: p.imp_uid } },
    el("td", {}, el("code", {}, p.imp_uid), p.imp_uid === order.imp_uid ? el("span", { className: "tag" }, "주문에 연결") : ""),
    el("td", {}, payMethod(p.pay_method), p.sandbox ? el("span", { className: "tag" }, "테스트") : ""),
    el("td", { className: "pay-state" }, paymentState(p), " ", el("code", { className: "small" }, p.status)),
    el("td", { className: "num" }, money(p.amount, p.currency)),
    el("td", { className: "num" }, compare(p.cancel_amount, 0) > 0 ? money(p.cancel_amount, p.currency) : "-"),
    el("td", { className: p.refund_state === "failed" || p.refund_state === "awaiting_account" ? "bad-text" : "" },
      refundState(p.refund_state)),
    el("td", {}, canRefund(p) ? el("button", { type: "button", className: "secondary refund-payment",
      onclick: () => chooseRefund(p.imp_uid) }, "환불") : ""))));
  $("payments-empty").hidden = payments.length > 0;
  $("payments").hidden = payments.length === 0;

  $("timeline").replaceChildren(...history.map(timelineEntry));
  $("timeline-empty").hidden = history.length > 0;

  if (!payments.some((p) => p.imp_uid === state.refundTarget)) state.refundTarget = order.imp_uid;
  showRefundForm(order, payments);
  $("detail").hidden = false;
}

/**
 * A payment's state judged by its amounts, as the server judges its order: PortOne says `cancelled` for a
 * partial cancel too (and has said `paid` with money refunded), so the word alone would contradict the order.
 */
function paymentState(p) {
  const refunded = compare(p.cancel_amount || 0, 0) > 0;
  if (refunded && compare(subtract(p.amount, p.cancel_amount), 0) > 0) return "부분 취소";
  if (refunded) return "전액 취소";
  if (p.status === "ready" && p.pay_method === "vbank") return "입금 대기";
  return PAYMENT_STATUS[p.status] || p.status || "-";
}

/** What went back of the order's own payment, in words ("15,000 KRW 중 5,000 KRW 환불 · 남은 금액 10,000 KRW"); null when nothing did. */
function refundedOf(order, payments) {
  const bound = payments.find((p) => p.imp_uid === order.imp_uid);
  if (!bound || compare(bound.cancel_amount || 0, 0) <= 0) return null;
  const left = subtract(bound.amount, bound.cancel_amount);
  return compare(left, 0) > 0
    ? `${money(bound.amount, bound.currency)} 중 ${money(bound.cancel_amount, bound.currency)} 환불 · 남은 금액 ${money(left, bound.currency)}`
    : `${money(bound.amount, bound.currency)} 전액 환불`;
}

/** Money arrived and some of it is left: any such payment of the order can be refunded, bound or not. */
function canRefund(p) {
  const moneyArrived = p.status === "paid" || (p.status === "cancelled" && !(p.pay_method === "vbank" && !p.paid_at));
  return moneyArrived && compare(subtract(p.amount, p.cancel_amount), 0) > 0;
}

function chooseRefund(impUid) {
  state.refundTarget = impUid;
  $("refund-result").hidden = true;
  $("refund-form").reset();
  showRefundForm(state.detail.order, state.detail.payments);
  $("refund-form").scrollIntoView({ block: "nearest" });
}

/** One history row: when, who reported, what PortOne said against what the order expected, and why. */
function timelineEntry(h) {
  const kind = ALARMING.has(h.outcome) ? "alarm" : h.outcome === "refunded" ? "refund" : GOOD.has(h.outcome) ? "good" : "";
  // a refund row's amount is what went back, which may well differ from the order's: not a mismatch
  const refundRow = h.outcome === "refunded" || h.outcome === "refund_failed";
  const mismatch = !refundRow && h.portone_amount != null && h.expected_amount != null
    && (compare(h.portone_amount, h.expected_amount) !== 0 || h.portone_currency !== h.expected_currency);
  const said = h.portone_status || h.portone_amount != null
    ? el("span", {}, "PortOne: ",
      el("strong", { className: mismatch ? "bad-text" : "" },
        [h.portone_status ? `${portoneStatus(h)} (${h.portone_status})` : null,
          h.portone_amount != null ? money(h.portone_amount, h.portone_currency) : null].filter(Boolean).join(" · ")))
    : el("span", { className: "small" }, "PortOne 응답 없음");
  const expected = h.expected_amount != null
    ? el("span", {}, " / 주문: ", el("strong", {}, money(h.expected_amount, h.expected_currency)))
    : "";
  return el("li", { className: `event ${kind}`, dataset: { outcome: h.outcome, source: h.source } },
    el("div", { className: "event-head" },
      el("time", { dateTime: h.created_at, title: h.created_at }, time(h.created_at)),
      el("span", { className: "source" }, SOURCE[h.source] || h.source),
      el("span", { className: `outcome ${kind}` }, OUTCOME[h.outcome] || h.outcome),
      el("code", { className: "small" }, h.outcome),
      h.order_changed ? el("span", { className: "tag changed" }, "주문 상태 변경") : ""),
    el("div", { className: "event-body" }, said, expected),
    h.detail ? detailEntry(h.detail) : "",
    h.imp_uid ? el("div", { className: "small" }, h.imp_uid) : "");
}

/** PortOne's status word of a history row in Korean: `cancelled` on a partial refund is a partial cancel. */
function portoneStatus(h) {
  if (h.portone_status === "cancelled" && h.outcome === "partially_cancelled") return "부분 취소";
  return PAYMENT_STATUS[h.portone_status] || h.portone_status;
}

/** The server's detail in Korean (admin-history.js), with the English original folded away for a developer. */
function detailEntry(detail) {
  const korean = historyDetailKo(detail);
  return el("div", { className: `event-detail${korean.complete ? "" : " partly"}` },
    el("span", { className: "detail-ko" }, korean.text),
    el("details", { className: "detail-raw" }, el("summary", {}, "원문 (서버 기록)"), el("code", { lang: "en" }, detail)));
}

// ---- actions ----

async function sync() {
  const merchantUid = state.detail.order.merchant_uid;
  $("sync").disabled = true;
  notice("sync-result", "", "PortOne에 묻는 중…");
  try {
    ++state.detailRequest; // a detail load still on its way is older than this answer: it must not draw over it
    const answer = await admin("POST", `/admin/orders/${encodeURIComponent(merchantUid)}/sync`);
    if (answer.status === 401) return;
    if (!answer.ok) return notice("sync-result", "bad", describe(answer));
    showDetail(answer.data);
    if (answer.data.known_to_portone === false) {
      // never a green "paid" for a payment PortOne denies: the stored state is all the shop has
      return notice("sync-result", "bad", `PortOne이 이 결제(${answer.data.order.imp_uid})를 알지 못합니다. `
          + `주문 상태(${ORDER_STATUS[answer.data.order.status] || answer.data.order.status})는 가게의 마지막 기록일 뿐, PortOne이 확인한 것이 아닙니다.`);
    }
    notice("sync-result", "ok", `다시 확인했습니다. 주문 상태: ${ORDER_STATUS[answer.data.order.status] || answer.data.order.status}`);
  } finally {
    $("sync").disabled = false;
  }
}

/** The payment chosen for a refund (the order's own one unless another's 환불 was pressed) and what is left of it. */
function refundable(order, payments) {
  const payment = payments.find((p) => p.imp_uid === (state.refundTarget || order.imp_uid));
  if (!payment) return null;
  return { payment, balance: subtract(payment.amount, payment.cancel_amount) };
}

function showRefundForm(order, payments) {
  const r = refundable(order, payments);
  const form = $("refund-form");
  const other = r && r.payment.imp_uid !== order.imp_uid;
  $("refund-target").hidden = !r;
  $("refund-target").textContent = r ? `${other ? "이 주문에 연결되지 않은 결제" : "주문의 결제"} ${r.payment.imp_uid}` : "";
  if (!r || compare(r.balance, 0) <= 0) {
    form.hidden = true;
    $("refund-none").hidden = false;
    // a forged payment is never bound to its order; it is refunded automatically (again on re-sync)
    $("refund-none").textContent = !r
      ? "이 주문에 연결된 결제가 없어 환불할 것이 없습니다. 위조·중복 결제는 자동으로 환불되며, 실패했다면 'PortOne에서 다시 확인'이 다시 시도합니다."
      : "이미 전액 환불되었습니다.";
    return;
  }
  $("refund-none").hidden = true;
  form.hidden = false;
  $("refund-amount").placeholder = `전액 ${money(r.balance, r.payment.currency)}`;
  const vbank = r.payment.pay_method === "vbank";
  $("refund-vbank").hidden = !vbank;
  for (const id of ["refund-holder", "refund-bank", "refund-account"]) $(id).required = vbank;
}

/** Reads the form; null (with the reason shown) when it cannot be sent. */
function refundRequest() {
  const r = refundable(state.detail.order, state.detail.payments);
  const text = $("refund-amount").value.replace(/[,\s원]/g, "");
  const body = { reason: $("refund-reason").value.trim() };
  let amount = null;
  if (text) {
    if (!/^\d+(\.\d{1,2})?$/.test(text) || compare(text, 0) <= 0) {
      notice("refund-result", "bad", "금액은 0보다 큰 숫자로 쓰거나, 전액이면 비워 두세요.");
      return null;
    }
    amount = text;
    if (compare(amount, r.balance) > 0) {
      notice("refund-result", "bad", `남은 금액 ${money(r.balance, r.payment.currency)}보다 많이 환불할 수 없습니다.`);
      return null;
    }
    // at most two decimals: such a number survives JSON's doubles exactly, so the server gets what was typed
    body.amount = Number(amount);
  }
  if (!$("refund-vbank").hidden) {
    body.refund_holder = $("refund-holder").value.trim();
    body.refund_bank = $("refund-bank").value.trim();
    body.refund_account = $("refund-account").value.replace(/[-\s]/g, "");
  }
  return { body, impUid: r.payment.imp_uid, amount: amount ?? r.balance,
    full: amount === null || compare(amount, r.balance) === 0, currency: r.payment.currency };
}

function askRefund(event) {
  event.preventDefault();
  const request = refundRequest();
  if (!request) return;
  $("refund-result").hidden = true;
  const { order } = state.detail;
  $("confirm-name").textContent = order.name;
  $("confirm-order").textContent = order.merchant_uid;
  $("confirm-amount").textContent = `${request.full ? "전액 " : "일부 "}${money(request.amount, request.currency)} 환불`;
  $("confirm-reason").textContent = request.body.reason;
  const code = request.body.refund_bank;
  const known = [...$("bank-codes").options].find((o) => o.value === code);
  $("confirm-account").hidden = !request.body.refund_account;
  $("confirm-account").textContent = request.body.refund_account
    ? `환불 계좌: ${known ? `${known.textContent} (${code})` : `은행 코드 ${code}`} ${request.body.refund_account} (${request.body.refund_holder})`
    : "";
  const dialog = $("refund-dialog");
  dialog.returnValue = "";
  // the request goes out only from the dialog's own button; Esc or 그만두기 sends nothing
  dialog.onclose = () => {
    if (dialog.returnValue === "refund") refund(request.impUid, request.body, request.impUid !== order.imp_uid);
  };
  dialog.showModal();
}

async function refund(impUid, body, notTheOrders) {
  $("refund-submit").disabled = true;
  notice("refund-result", "", "환불 요청 중…");
  try {
    // by payment: the order's own one, or a duplicate, forged or deposited-after-the-fact one
    ++state.detailRequest; // as in sync: the order after the refund is the newest state there is
    const answer = await admin("POST", `/admin/payments/${encodeURIComponent(impUid)}/refund`, body);
    if (answer.status === 401) return;
    if (!answer.ok) {
      notice("refund-result", "bad", describe(answer));
      return;
    }
    $("refund-form").reset();
    state.refundTarget = null;   // back to the order's own payment
    // the answer carries the order as it is after the refund: the page shows that, not a guess
    showDetail(answer.data.order);
    const outcome = answer.data.outcome;
    const expected = notTheOrders || outcome === "cancelled" || outcome === "partially_cancelled";
    $("refund-result").hidden = false;
    $("refund-result").className = `notice ${expected ? "ok" : "bad"}`;
    $("refund-result").replaceChildren(
      el("p", { id: "refund-result-text" }, notTheOrders ? "이 결제를 환불했습니다. 주문 상태는 주문에 연결된 결제를 따릅니다."
        : REFUND_OUTCOME[outcome] || `PortOne이 환불을 받았지만 검증 결과가 예상과 다릅니다: ${OUTCOME[outcome] || outcome}`),
      el("p", { className: "small" }, "결과 ", el("code", { id: "refund-outcome" }, outcome)));
    $("refund-result").scrollIntoView({ block: "nearest" });
  } finally {
    $("refund-submit").disabled = false;
  }
}

// ---- small helpers ----

/** A DOM element; string children become text nodes, so data is never parsed as HTML. */
function el(tag, props, ...children) {
  const element = document.createElement(tag);
  const { dataset, ...rest } = props || {};
  Object.assign(element, rest);
  if (dataset) Object.assign(element.dataset, dataset);
  element.append(...children.filter((c) => c !== "" && c != null));
  return element;
}

function statusBadge(status, id) {
  return el("span", { className: `badge status-${status}`, dataset: { status }, title: status, ...(id ? { id } : {}) },
    ORDER_STATUS[status] || status);
}

function money(amount, currency) {
  if (amount == null) return "-";
  // exact decimals from the server: group the whole part only, keep the fraction as sent
  const [whole, fraction] = String(amount).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${grouped}${fraction ? `.${fraction}` : ""} ${currency || ""}`.trim();
}

// Exact decimal arithmetic for the little the page computes (a balance, a comparison): money
// never goes through a double here either. Amounts are non-negative decimals, as the server sends them.
function scaled(value, scale) {
  const [whole, fraction = ""] = String(value).split(".");
  return BigInt(whole + fraction.padEnd(scale, "0"));
}

function scaleOf(...values) {
  return Math.max(...values.map((v) => (String(v).split(".")[1] || "").length));
}

function compare(a, b) {
  const scale = scaleOf(a, b);
  const d = scaled(a, scale) - scaled(b, scale);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

function subtract(a, b) {
  const scale = scaleOf(a, b);
  const d = scaled(a, scale) - scaled(b, scale);
  const sign = d < 0n ? "-" : "";
  const digits = (d < 0n ? -d : d).toString().padStart(scale + 1, "0");
  return scale === 0 ? sign + digits : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function payMethod(method) {
  return { card: "카드", vbank: "가상계좌", trans: "계좌이체" }[method] || method || "-";
}

function refundState(value) {
  return { requested: "요청 중", refunded: "환불됨", failed: "실패", awaiting_account: "계좌 필요" }[value] || value || "-";
}

/** Local time as 2026-11-24 19:00:24: sortable, and the same width in every row. */
function time(iso) {
  if (!iso) return "-";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// ---- wiring ----

$("token-form").addEventListener("submit", signIn);
$("token-clear").addEventListener("click", signOut);
$("status-filter").addEventListener("change", () => {
  state.status = $("status-filter").value;
  state.page = 1;
  loadOrders();
});
$("reload").addEventListener("click", () => {
  loadOrders();
  loadProblems();
});
$("prev").addEventListener("click", () => {
  state.page = Math.max(1, state.page - 1);
  loadOrders();
});
$("next").addEventListener("click", () => {
  state.page += 1;
  loadOrders();
});
$("sync").addEventListener("click", () => sync().catch((e) => notice("sync-result", "bad", String(e))));
$("refund-form").addEventListener("submit", askRefund);
window.addEventListener("hashchange", route);
probeAdminApi();
