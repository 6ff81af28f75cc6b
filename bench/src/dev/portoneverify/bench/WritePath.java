package dev.portoneverify.bench;

import dev.portoneverify.concurrent.ContinuationPool;
import dev.portoneverify.db.Database;
import dev.portoneverify.db.DatabaseSettings;
import dev.portoneverify.order.OrderDao;
import dev.portoneverify.payment.PaymentSync;
import dev.portoneverify.payment.Policy;
import dev.portoneverify.payment.Source;
import dev.portoneverify.payment.SyncResult;
import dev.portoneverify.payment.Verdict;
import dev.portoneverify.payment.VerificationObserver;
import dev.portoneverify.portone.Payment;
import dev.portoneverify.portone.PaymentStatus;
import dev.portoneverify.sms.SmsDispatcher;
import dev.portoneverify.sms.SmsOutboxDao;
import dev.portoneverify.user.UserDao;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The verification's write path alone, without HTTP or PortOne: PaymentSync.applyAsync for paid payments
 * of fresh orders on one SQLite file, {@code --in-flight} at a time (16), rounds of 25,000, and the
 * median wall time per verification of the later rounds. The full benchmark runs it among a hundred
 * other threads, where a change of 30 µs on the writer drowns in the run-to-run spread; here it shows
 * (issue 17: kept statements, the writer's held handle).
 *
 * <p>Usage: {@code java -cp <as for JfrSummary> dev.portoneverify.bench.WritePath [--in-flight=16] [--rounds=10]}
 */
public final class WritePath {
    private static final int PER_ROUND = 25_000;
    private static final BigDecimal AMOUNT = new BigDecimal(15000);

    private WritePath() {}

    public static void main(String[] args) throws Exception {
        // a log line per verification would measure the terminal
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int inFlight = 16;
        int rounds = 10;
        for (String arg : args) {
            if (arg.startsWith("--in-flight=")) {
                inFlight = Integer.parseInt(arg.substring("--in-flight=".length()));
            } else if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(arg.substring("--rounds=".length()));
            } else {
                throw new IllegalArgumentException("usage: WritePath [--in-flight=16] [--rounds=10]");
            }
        }
        Path dir = Files.createTempDirectory("portone-verify-write-path");
        Database database = Database.open(DatabaseSettings.sqlite("jdbc:sqlite:" + dir.resolve("shop.db")));
        ContinuationPool continuation = ContinuationPool.perCore("verification");
        try {
            int orders = PER_ROUND * rounds;
            long userId = database.jdbi().onDemand(UserDao.class).insert("buyer", "01012345678", Instant.now());
            database.jdbi().useTransaction(handle -> {
                OrderDao dao = handle.attach(OrderDao.class);
                for (int i = 0; i < orders; i++) {
                    dao.insert(merchantUid(i), userId, "flash sale", AMOUNT, "KRW", Instant.now());
                }
            });
            SmsDispatcher sms = new SmsDispatcher(database.jdbi().onDemand(SmsOutboxDao.class), (phone, text) -> { },
                    Clock.systemUTC());
            // no PortOne: applyAsync is what follows PortOne's answer
            PaymentSync sync = new PaymentSync(null, database.transactions(), sms, new Policy(false, true),
                    Clock.systemUTC(), Duration.ofMinutes(2), VerificationObserver.NONE, continuation);
            double[] micros = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                long started = System.nanoTime();
                ArrayDeque<CompletableFuture<SyncResult>> pending = new ArrayDeque<>();
                for (int k = 0; k < PER_ROUND; k++) {
                    int i = round * PER_ROUND + k;
                    pending.add(sync.applyAsync(paid(i), Source.BROWSER));
                    if (pending.size() >= inFlight) {
                        check(pending.poll().join());
                    }
                }
                while (!pending.isEmpty()) {
                    check(pending.poll().join());
                }
                micros[round] = (System.nanoTime() - started) / 1e3 / PER_ROUND;
                System.out.printf(Locale.ROOT, "round %d: %.1f µs a verification%n", round + 1, micros[round]);
            }
            // the first rounds warm the JIT up
            double[] later = Arrays.copyOfRange(micros, rounds / 2, rounds);
            Arrays.sort(later);
            System.out.printf(Locale.ROOT, "write path, %d in flight: median %.1f µs a verification over rounds %d-%d%n",
                    inFlight, later[later.length / 2], rounds / 2 + 1, rounds);
        } finally {
            continuation.close();
            database.close();
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String merchantUid(int i) {
        return "order_" + i;
    }

    private static Payment paid(int i) {
        return new Payment(Benchmark.impUid(i), merchantUid(i), AMOUNT, BigDecimal.ZERO, "KRW", PaymentStatus.PAID, "paid",
                false, "card", "html5_inicis", "flash sale", Instant.now(), null, null, null, null, null, null);
    }

    private static void check(SyncResult result) {
        if (result.verdict() != Verdict.PAID) {
            throw new IllegalStateException("expected a paid verification, got " + result);
        }
    }
}
