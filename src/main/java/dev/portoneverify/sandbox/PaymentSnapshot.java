package dev.portoneverify.sandbox;

import java.util.Map;

/**
 * A payment as it was at one moment: the few fields the sandbox branches on, and {@code json}, the
 * Payment object exactly as the V1 API serves it (a fresh map, safe to serialize outside any lock).
 *
 * @param lastCancellationId the newest {@code cancel_history} entry's id, for the cancel webhook; null if none
 */
record PaymentSnapshot(String impUid, String merchantUid, String status, boolean sandbox, String lastCancellationId,
                       Map<String, Object> json) {}
