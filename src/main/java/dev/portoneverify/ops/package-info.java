/**
 * What an operator watches: {@code GET /health} ({@code ops.health}) and {@code GET /metrics}
 * ({@code ops.metrics}), which observe the PortOne client, the verification path and the SMS outbox
 * through their observer interfaces.
 */
package dev.portoneverify.ops;
