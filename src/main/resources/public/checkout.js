// The checkout page: create the order on the server, pay it (PortOne's window, or the sandbox's
// stand-in), report the payment with POST /payments/complete, and show what the server verified.
// The browser is never trusted: the amount comes from the order the server created, and the
// result shown is the server's verdict, not the payment window's.
"use strict";

const PRODUCTS = [
  { name: "노트북 거치대", amount: 15000 },
  { name: "기계식 키보드", amount: 89000 },
  { name: "USB-C 케이블", amount: 9900 },
];

const $ = (id) => document.getElementById(id);
let config;

// What the buyer reads for each `status` word the server can answer this page with. The JSON keeps
// its words (scripts and the admin read them); some of its messages are English, meant for the shop,
// so the page shows these instead. The guide's three answers keep the server's own Korean words.
const MESSAGES = {
  success: "일반 결제 성공",
  vbankIssued: "가상계좌 발급 성공",
  forgery: "위조된 결제시도",
  partially_cancelled: "결제가 부분 취소되었습니다",
  test_payment: "테스트 결제는 허용되지 않습니다",
  not_paid: "결제가 완료되지 않았습니다",
  failed: "결제에 실패했습니다",
  cancelled: "취소된 결제입니다",
  already_paid: "이미 다른 결제로 완료된 주문입니다. 이 결제는 환불됩니다",
  order_closed: "취소된 주문입니다. 이 결제는 환불됩니다",
  order_mismatch: "결제와 주문이 일치하지 않습니다",
  unknown_order: "결제에 해당하는 주문이 없습니다",
  unknown_payment: "존재하지 않는 결제정보입니다",
  unknown_user: "구매자 정보를 찾을 수 없습니다. 다시 시도해 주세요",
  invalid_request: "입력한 내용을 확인해 주세요",
  body_too_large: "입력한 내용이 너무 깁니다",
  request_timeout: "요청이 너무 오래 걸렸습니다. 다시 시도해 주세요",
  unsupported_media_type: "요청을 처리할 수 없습니다",
  rate_limited: "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요",
  unauthorized: "구매자 확인에 실패했습니다. 처음부터 다시 시도해 주세요",
  forbidden: "요청을 처리할 수 없습니다",
  prepare_failed: "결제를 준비하지 못했습니다. 잠시 후 다시 시도해 주세요",
  prepare_mismatch: "결제 금액이 주문 금액과 달라 결제가 거절되었습니다",
  portone_unavailable: "결제 정보를 확인하지 못했습니다. 잠시 후 주문 상태를 다시 확인해 주세요",
  portone_timeout: "결제 정보 확인이 늦어지고 있습니다. 잠시 후 주문 상태를 다시 확인해 주세요",
  portone_auth: "결제 정보를 확인하지 못했습니다. 상점에 문의해 주세요",
  portone_error: "결제 정보를 확인하지 못했습니다. 상점에 문의해 주세요",
  database_unavailable: "일시적인 문제로 처리하지 못했습니다. 잠시 후 다시 시도해 주세요",
  internal_error: "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요",
  not_found: "요청을 처리할 수 없습니다",
  method_not_allowed: "요청을 처리할 수 없습니다",
  error: "서버의 응답을 읽을 수 없습니다. 잠시 후 다시 시도해 주세요",
};
/** invalid_request names the field first ("phone must be ..."): the fields a buyer types. */
const FIELDS = {
  name: "이름을 40자 이내로 입력해 주세요",
  phone: "휴대폰 번호를 010-1234-5678처럼 입력해 주세요",
};
const ORDER_STATUS = { pending: "결제 대기", awaiting_deposit: "입금 대기", paid: "결제 완료", cancelled: "취소됨" };
const OFFLINE = "서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요";

/** The Korean for one answer; a failed payment keeps PortOne's reason, which the server passed on. */
function say(data) {
  if (data.status === "failed" && typeof data.message === "string" && data.message.startsWith("결제에 실패했습니다")) {
    return data.message;
  }
  if (data.status === "invalid_request" && typeof data.message === "string") {
    const field = FIELDS[data.message.split(" ")[0]];
    if (field) return field;
  }
  return MESSAGES[data.status] || MESSAGES.internal_error;
}
// The buyer's token from POST /users: reading the buyer, or ordering for them, needs it.
let buyerToken;

async function api(method, path, body) {
  const headers = body ? { "Content-Type": "application/json" } : {};
  if (buyerToken) headers.Authorization = `Bearer ${buyerToken}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({ status: "error", message: "응답을 읽을 수 없습니다" }));
  return { ok: response.ok, status: response.status, data };
}

async function init() {
  config = (await api("GET", "/checkout/config")).data;
  $("mode").textContent = config.mode === "sandbox"
    ? "샌드박스 모드: PortOne 키 없이 내장 시뮬레이터로 결제합니다."
    : "실결제 모드: PortOne 결제창으로 결제합니다.";
  $("sandbox-options").hidden = config.mode !== "sandbox";
  $("products").innerHTML = PRODUCTS.map((p, i) =>
    `<label><input type="radio" name="product" value="${i}" ${i === 0 ? "checked" : ""}> ${p.name} · ${p.amount.toLocaleString("ko-KR")}원</label>`
  ).join("");
  // V1, V2 or both: with both, the buyer (or a shop testing its migration) picks one
  $("versions").hidden = !(config.portone_v1 && config.portone_v2);
  $("version-v1").hidden = !config.portone_v1;
  if (!config.portone_v1) document.querySelector("input[name=portone-version][value=v2]").checked = true;
  if (config.mode === "live" && config.portone_v1) {
    const sdk = document.createElement("script");
    sdk.src = "https://cdn.iamport.kr/v1/iamport.js";
    sdk.onload = () => window.IMP.init(config.merchant_code);
    document.head.appendChild(sdk);
  }
  if (config.mode === "live" && config.portone_v2) {
    const sdk = document.createElement("script");
    sdk.src = "https://cdn.portone.io/v2/browser-sdk.js";
    document.head.appendChild(sdk);
  }
  $("checkout").addEventListener("submit", (event) => {
    event.preventDefault();
    checkout().catch(() => show("bad", "오류", OFFLINE));
  });
  $("deposit").addEventListener("click", () => deposit().catch(() => show("bad", "오류", OFFLINE)));
}

async function checkout() {
  $("pay").disabled = true;
  try {
    const product = PRODUCTS[Number(document.querySelector("input[name=product]:checked").value)];
    const payMethod = document.querySelector("input[name=pay-method]:checked").value;
    const phone = $("buyer-tel").value;
    buyerToken = undefined;
    const user = await api("POST", "/users", { name: $("buyer-name").value, phone });
    if (!user.ok) return show("bad", "입력을 확인해 주세요", say(user.data));
    buyerToken = user.data.token;
    const order = await api("POST", "/orders", { user_id: user.data.id, name: product.name, amount: product.amount });
    if (!order.ok) return show("bad", "주문을 만들 수 없습니다", say(order.data));
    if (document.querySelector("input[name=portone-version]:checked").value === "v2") {
      return await checkoutV2(order.data, user.data, payMethod);
    }

    const request = {
      merchant_uid: order.data.merchant_uid,
      amount: order.data.amount,
      name: order.data.name,
      pay_method: payMethod,
      buyer_name: user.data.name,
      buyer_tel: phone, // the server shows it masked
    };
    if (config.confirm_process) request.confirm_url = location.origin + "/payments/confirm";
    const paid = config.mode === "sandbox" ? await paySandbox(request) : await payLive(request);
    if (!paid.imp_uid) return show("bad", "결제가 진행되지 않았습니다", paid.message, order.data.merchant_uid);

    const verdict = await api("POST", "/payments/complete", { imp_uid: paid.imp_uid, merchant_uid: order.data.merchant_uid });
    await showVerdict(verdict, order.data.merchant_uid, user.data.id, paid.imp_uid);
  } finally {
    $("pay").disabled = false;
  }
}

/** The sandbox's stand-in for PortOne's window: the buyer approves or declines, the sandbox "charges". */
function paySandbox(request) {
  const tampered = $("tamper").checked;
  const amount = tampered ? Math.max(100, Math.round(request.amount / 100)) : request.amount;
  $("window-name").textContent = request.name;
  $("window-amount").textContent = `${amount.toLocaleString("ko-KR")}원` + (tampered ? " (위조된 금액)" : "");
  const dialog = $("sandbox-window");
  dialog.showModal();
  return new Promise((resolve) => {
    const choose = async (fail) => {
      dialog.close();
      const created = await api("POST", "/sandbox/payments", { ...request, amount, fail });
      resolve(created.ok ? created.data : { message: say(created.data) });
    };
    $("window-pay").onclick = () => choose(false);
    $("window-decline").onclick = () => choose(true);
  });
}

/**
 * PortOne V2: the server issues the paymentId and answers requestPayment's arguments; the browser adds only
 * the pay method and the buyer, then reports {paymentId}. The server decides which order it pays.
 */
async function checkoutV2(order, user, payMethod) {
  const args = await api("POST", `/orders/${order.merchant_uid}/checkout`);
  if (!args.ok) return show("bad", "결제를 시작할 수 없습니다", say(args.data), order.merchant_uid);
  const request = { ...args.data, payMethod: payMethod === "vbank" ? "VIRTUAL_ACCOUNT" : "CARD" };
  const paid = config.mode === "sandbox" ? await paySandboxV2(request, user) : await payLiveV2(request, user);
  if (!paid.paymentId) return show("bad", "결제가 진행되지 않았습니다", paid.message, order.merchant_uid);
  const verdict = await api("POST", "/payments/complete", { paymentId: paid.paymentId });
  await showVerdict(verdict, order.merchant_uid, user.id, paid.paymentId, "v2");
}

/** The sandbox's stand-in for V2's window; a declined card is a FAILED payment, reported like any other. */
function paySandboxV2(request, user) {
  const tampered = $("tamper").checked;
  const totalAmount = tampered ? Math.max(100, Math.round(request.totalAmount / 100)) : request.totalAmount;
  $("window-name").textContent = request.orderName;
  $("window-amount").textContent = `${totalAmount.toLocaleString("ko-KR")}원` + (tampered ? " (위조된 금액)" : "");
  const dialog = $("sandbox-window");
  dialog.showModal();
  return new Promise((resolve) => {
    const choose = async (fail) => {
      dialog.close();
      const created = await api("POST", "/sandbox/v2/payments", { ...request, totalAmount, fail, phone: user.phone });
      resolve(created.ok ? { paymentId: created.data.id } : { message: say(created.data) });
    };
    $("window-pay").onclick = () => choose(false);
    $("window-decline").onclick = () => choose(true);
  });
}

/** PortOne V2's own window, through its browser SDK, with the server's arguments as they are. */
async function payLiveV2(request, user) {
  const response = await window.PortOne.requestPayment({
    ...request,
    customer: { fullName: user.name, phoneNumber: user.phone },
    ...(request.payMethod === "VIRTUAL_ACCOUNT" ? { virtualAccount: { accountExpiry: { validHours: 72 } } } : {}),
  });
  // a failure (or the buyer closing the window) comes back with a code; the server is still told, and asks PortOne
  if (response && response.code !== undefined && response.code !== null) return { paymentId: request.paymentId };
  return response && response.paymentId ? response : { message: "결제창이 닫혔습니다" };
}

/** PortOne's own window, through its browser SDK. */
function payLive(request) {
  return new Promise((resolve) => {
    const params = { ...request };
    if (config.pg) params.pg = config.pg;
    // PortOne's own error_msg is Korean
    window.IMP.request_pay(params, (rsp) => resolve(rsp.imp_uid ? rsp : { message: rsp.error_msg || MESSAGES.not_paid }));
  });
}

async function showVerdict(verdict, merchantUid, userId, impUid, version) {
  const { status } = verdict.data;
  const message = say(verdict.data);
  $("deposit").hidden = true;
  $("vbank").hidden = true;
  if (status === "success") {
    show("ok", "결제 완료", message, merchantUid);
  } else if (status === "vbankIssued") {
    const user = (await api("GET", `/users/${userId}`)).data;
    $("vbank-name").textContent = user.vbank_name;
    $("vbank-num").textContent = user.vbank_num;
    $("vbank-holder").textContent = user.vbank_holder || "-";
    $("vbank-date").textContent = new Date(user.vbank_date).toLocaleString("ko-KR");
    $("vbank").hidden = false;
    if (config.mode === "sandbox") {
      $("deposit").hidden = false;
      $("deposit").dataset.impUid = impUid;
      $("deposit").dataset.version = version || "v1";
      $("deposit").dataset.merchantUid = merchantUid;
    }
    show("", "가상계좌 발급", `${message}. 아래 계좌로 입금해 주세요.`, merchantUid, true);
  } else if (status === "forgery") {
    show("bad", "위조된 결제", `${message}. 결제는 승인되지 않았고 환불됩니다.`, merchantUid);
  } else {
    show("bad", "결제 실패", message, merchantUid);
  }
}

/** Sandbox only: the buyer deposits; PortOne's webhook tells the server, and the page waits for it. */
async function deposit() {
  const { impUid, merchantUid, version } = $("deposit").dataset;
  $("deposit").disabled = true;
  await api("POST", version === "v2" ? `/sandbox/v2/payments/${impUid}/deposit` : `/sandbox/payments/${impUid}/deposit`);
  for (let i = 0; i < 50; i++) {
    const order = (await api("GET", `/orders/${merchantUid}`)).data;
    if (order.status === "paid") {
      $("deposit").hidden = true;
      $("deposit").disabled = false;
      return show("ok", "입금 확인, 결제 완료", "웹훅으로 입금이 확인되었습니다.", merchantUid);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  $("deposit").disabled = false;
  show("bad", "입금 확인 대기", "아직 입금이 확인되지 않았습니다.", merchantUid, true);
}

async function show(kind, title, message, merchantUid, keepVbank) {
  const result = $("result");
  result.hidden = false;
  result.className = kind;
  $("result-title").textContent = title;
  $("result-message").textContent = message || "";
  if (!keepVbank) $("vbank").hidden = true;
  $("result-order").textContent = merchantUid || "-";
  const status = merchantUid ? (await api("GET", `/orders/${merchantUid}`)).data.status : null;
  $("result-status").textContent = ORDER_STATUS[status] || "-";
  $("result-status").dataset.status = status || "";
  result.dataset.done = "true";
}

init();
