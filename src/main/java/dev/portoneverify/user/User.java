package dev.portoneverify.user;

import java.time.Instant;

/** A buyer. The vbank fields hold the virtual account PortOne issued for their latest vbank payment. */
public record User(
        long id,
        String name,
        String phone,
        String vbankNum,
        String vbankName,
        String vbankHolder,
        Instant vbankDate,
        Instant createdAt) {}
