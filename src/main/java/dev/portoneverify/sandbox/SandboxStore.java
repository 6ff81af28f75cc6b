package dev.portoneverify.sandbox;

import java.util.List;

/**
 * Where the simulator keeps what PortOne would remember across a restart: payments, pre-registrations and
 * the current token. Written through on every change, read once at start. Implementations are called
 * with the caller's lock held, so they need no locking of their own beyond their resource's.
 */
interface SandboxStore extends AutoCloseable {
    /** The issued token and its expiry (UNIX seconds); none is {@code token == null}. */
    record Token(String token, long expiresAt) {}

    /** Everything a previous run left, payments in creation order. */
    record Contents(List<SimulatedPayment> payments, List<SandboxPayments.Prepared> prepared, Token token) {}

    Contents load();

    void save(SimulatedPayment payment);

    void save(SandboxPayments.Prepared registration);

    void save(Token token);

    @Override
    void close();

    /** Nothing kept: every start is a fresh PortOne, as tests want it. */
    SandboxStore IN_MEMORY = new SandboxStore() {
        @Override
        public Contents load() {
            return new Contents(List.of(), List.of(), new Token(null, 0));
        }

        @Override
        public void save(SimulatedPayment payment) {}

        @Override
        public void save(SandboxPayments.Prepared registration) {}

        @Override
        public void save(Token token) {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "memory";
        }
    };
}
