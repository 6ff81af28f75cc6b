package dev.portoneverify.sms;

/**
 * Delivers one text message. Implementations may be slow or fail: the outbox dispatcher calls them
 * off the request path, one message at a time.
 *
 * <p>A failure is thrown. {@link SmsFailure.Rejected} means the same message can never go through
 * (the outbox gives up on it and {@code GET /admin/sms/failed} lists it); anything else, including
 * {@link SmsFailure.RetryLater} and an unexpected exception, is retried with backoff.
 *
 * <p>AlimTalk (KakaoTalk notification) would come in here too, but needs more than free text: a
 * template approved by Kakao, its code, and the values of its variables. The kind of message is the
 * outbox's dedupe-key prefix ({@code vbank:...}, the "virtual account issued" notice, built in
 * {@code PaymentSync.vbankIssued}); an AlimTalk sender would map that kind to its template code, and
 * the outbox would keep the template's variables beside the text (a new column, so a migration), with
 * the text as the SMS fallback Solapi sends when KakaoTalk cannot deliver ({@code kakaoOptions}).
 */
public interface SmsSender {
    void send(String phone, String text);
}
