package dev.portoneverify.payment;

import dev.portoneverify.web.StatusMessage;

/**
 * Step 4 of a payment, what the caller answers: how a {@link SyncResult} is told over HTTP. The seed
 * guide's three answers are kept word for word; every other verdict gets a {@code {status, message}}
 * with a fitting HTTP status. The webhook handlers answer 200 whatever the verdict but reuse its
 * {@code status} word.
 */
record HttpAnswer(int httpStatus, StatusMessage body) {

    static HttpAnswer of(SyncResult result) {
        return switch (result.verdict()) {
            case PAID -> answer(200, "success", "일반 결제 성공");
            case VBANK_ISSUED -> answer(200, "vbankIssued", "가상계좌 발급 성공");
            case PARTIALLY_CANCELLED -> answer(200, "partially_cancelled", "결제가 부분 취소되었습니다");
            case FORGERY -> answer(400, "forgery", "위조된 결제시도");
            case TEST_PAYMENT -> answer(400, "test_payment", "테스트 결제는 허용되지 않습니다");
            case NOT_PAID -> answer(402, "not_paid", "결제가 완료되지 않았습니다");
            case FAILED -> answer(402, "failed", result.failReason() == null ? "결제에 실패했습니다"
                    : "결제에 실패했습니다: " + result.failReason());
            case CANCELLED -> answer(409, "cancelled", "취소된 결제입니다");
            case PAID_BY_OTHER -> answer(409, "already_paid", "이미 다른 결제로 완료된 주문입니다");
            case ORDER_CLOSED -> answer(409, "order_closed", "취소된 주문입니다");
            case UNKNOWN_ORDER -> answer(404, "unknown_order", "결제에 해당하는 주문이 없습니다");
            case UNKNOWN_PAYMENT -> answer(404, "unknown_payment", "존재하지 않는 결제정보입니다");
        };
    }

    /** The browser named another order than the one PortOne says the payment belongs to. */
    static HttpAnswer orderMismatch() {
        return answer(400, "order_mismatch", "결제와 주문이 일치하지 않습니다");
    }

    private static HttpAnswer answer(int httpStatus, String status, String message) {
        return new HttpAnswer(httpStatus, new StatusMessage(status, message));
    }
}
