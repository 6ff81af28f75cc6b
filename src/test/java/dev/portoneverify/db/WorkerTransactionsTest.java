package dev.portoneverify.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.portoneverify.testsupport.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PostgreSQL's transaction workers, which keep their connection while they are busy (issue 17). */
@Timeout(60)
class WorkerTransactionsTest {
    private static final int THREADS = 2;

    private TestDatabase database;
    private HikariDataSource pool;
    private HikariPoolMXBean connections;
    private Jdbi jdbi;
    private WorkerTransactions transactions;

    @BeforeEach
    void open() {
        assumeTrue(TestDatabase.postgresqlRun(), "PostgreSQL only: SQLite's transactions are grouped by one writer");
        database = TestDatabase.postgresql();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setMaximumPoolSize(THREADS);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        pool = new HikariDataSource(config);
        connections = pool.getHikariPoolMXBean();
        jdbi = Jdbi.create(pool);
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE sales (id INTEGER PRIMARY KEY)"));
        transactions = new WorkerTransactions(jdbi, THREADS, () -> connections.getThreadsAwaitingConnection() > 0);
    }

    @AfterEach
    void close() throws Exception {
        if (transactions != null) {
            transactions.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private record Served(String thread, Handle handle) {}

    private Served insert(int id) {
        return transactions.inTransactionAsync(transaction -> {
            transaction.handle().execute("INSERT INTO sales (id) VALUES (?)", id);
            return new Served(Thread.currentThread().getName(), transaction.handle());
        }).join();
    }

    private int sales() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM sales").mapTo(Integer.class).one());
    }

    @Test
    void aBusyWorkerKeepsItsHandleFromOneTransactionToTheNext() {
        List<Served> served = new ArrayList<>();
        for (int i = 0; i < 3 * THREADS; i++) {
            served.add(insert(i));
        }
        for (Served one : served) {
            for (Served other : served) {
                if (one.thread().equals(other.thread())) {
                    assertSame(one.handle(), other.handle(), "one worker, one handle: " + one.thread());
                }
            }
        }
        assertTrue(served.stream().map(Served::thread).distinct().count() <= THREADS);
        assertEquals(3 * THREADS, sales());
    }

    @Test
    void aWorkerWhoseWorkFailedStartsTheNextTransactionOnAFreshHandle() {
        insert(1);
        AtomicReference<Handle> failedOn = new AtomicReference<>();
        // the same id again: the primary key refuses it, and the whole transaction is rolled back
        CompletionException failed = assertThrows(CompletionException.class, () -> transactions.inTransactionAsync(transaction -> {
            failedOn.set(transaction.handle());
            transaction.handle().execute("INSERT INTO sales (id) VALUES (2)");
            return transaction.handle().execute("INSERT INTO sales (id) VALUES (1)");
        }).join());
        assertTrue(failed.getCause().getMessage().contains("duplicate key"), failed.getCause().getMessage());
        List<Served> after = new ArrayList<>();
        for (int i = 10; i < 10 + 3 * THREADS; i++) {
            after.add(insert(i));
        }
        assertTrue(after.stream().noneMatch(served -> served.handle() == failedOn.get()),
                "the handle of the failed transaction was let go");
        assertEquals(1 + 3 * THREADS, sales(), "the failed transaction left nothing behind");
    }

    @Test
    void aReadWhileEveryWorkerHoldsAConnectionStillGetsOne() throws Exception {
        // every worker busy at once, so that each ends up holding a connection of the two
        List<CompletableFuture<Served>> all = new ArrayList<>();
        for (int i = 0; i < 4 * THREADS; i++) {
            int id = i;
            all.add(CompletableFuture.supplyAsync(() -> insert(id)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        // a read of the pool's own, as GET /orders makes: answered well within the pool's 10 s limit
        assertEquals(4 * THREADS, CompletableFuture.supplyAsync(this::sales).get(8, TimeUnit.SECONDS));
    }

    @Test
    void aReadWhileTheWorkersStayBusyGetsAConnectionFromOneOfThem() throws Exception {
        // more sellers than workers: no worker is ever idle, so only a worker seeing the read wait for a
        // connection gives one back; otherwise the read would wait out the pool's 10 s and fail
        AtomicBoolean selling = new AtomicBoolean(true);
        AtomicInteger ids = new AtomicInteger();
        ExecutorService sellers = Executors.newFixedThreadPool(2 * THREADS);
        try {
            for (int i = 0; i < 2 * THREADS; i++) {
                sellers.execute(() -> {
                    while (selling.get()) {
                        insert(ids.incrementAndGet());
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (connections.getActiveConnections() < THREADS && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(THREADS, connections.getActiveConnections(), "every worker holds a connection");
            assertTrue(CompletableFuture.supplyAsync(this::sales).get(8, TimeUnit.SECONDS) > 0);
        } finally {
            selling.set(false);
            sellers.shutdown();
            assertTrue(sellers.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void anIdleServerHoldsNoConnection() throws Exception {
        for (int i = 0; i < 2 * THREADS; i++) {
            insert(i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WorkerTransactions.IDLE_SECONDS + 20);
        while (connections.getActiveConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, connections.getActiveConnections(), "the idle workers gave their connections back");
        insert(100);
        assertEquals(1 + 2 * THREADS, sales());
    }
}
