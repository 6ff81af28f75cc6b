package dev.portoneverify.portone;

import java.time.Instant;

/** Virtual-account details of a vbank payment; {@code holder} is null for some PGs (tosspayments). */
public record Vbank(String code, String name, String num, String holder, Instant date, Instant issuedAt) {}
