package dev.portoneverify.db.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.portoneverify.db.Database;
import dev.portoneverify.db.DatabaseSettings;
import dev.portoneverify.db.Transaction;
import dev.portoneverify.db.Transactions;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.user.UserDao;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's group commit: what callers of {@link Transactions} on SQLite may rely on. */
class GroupCommitTest {
    @TempDir
    Path dir;
    private DatabaseSettings settings;
    private Database database;
    private Transactions transactions;
    /** One thread per caller, as Jetty's request threads are. */
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        assumeFalse(TestDatabase.postgresqlRun(), "SQLite only: PostgreSQL runs one transaction per call");
        settings = TestDatabase.sqlite(dir).settings();
        database = Database.open(settings);
        transactions = database.transactions();
    }

    @AfterEach
    void close() throws Exception {
        callers.shutdownNow();
        if (database != null) {
            // bounded: a failed test may leave the writer waiting for good
            CompletableFuture.runAsync(database::close).get(10, TimeUnit.SECONDS);
        }
    }

    private record Inserted(long id, Handle handle, UserDao dao) {}

    private static Inserted insertUser(Transaction transaction, String name) {
        UserDao users = transaction.dao(UserDao.class);
        return new Inserted(users.insert(name, "010", Instant.EPOCH), transaction.handle(), users);
    }

    private List<String> userNames() {
        // a connection of its own: sees only what was committed
        try (Connection c = DriverManager.getConnection(settings.url());
             ResultSet rs = c.createStatement().executeQuery("SELECT name FROM users ORDER BY id")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The call occupying the writer, and the latch that lets it finish. */
    private record Occupied(CompletableFuture<Inserted> blocker, CountDownLatch release) {}

    /** Occupies the writer until the returned latch is released, so that later calls queue up. */
    private Occupied occupyWriter() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Inserted> blocker = CompletableFuture.supplyAsync(() -> transactions.inTransaction(transaction -> {
            entered.countDown();
            await(release);
            return insertUser(transaction, "blocker");
        }), callers);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        return new Occupied(blocker, release);
    }

    private List<CompletableFuture<Inserted>> queue(int n, String prefix, int failing) {
        List<CompletableFuture<Inserted>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = prefix + i;
            boolean fails = i == failing;
            calls.add(CompletableFuture.supplyAsync(() -> {
                Inserted inserted = transactions.inTransaction(transaction -> {
                    Inserted row = insertUser(transaction, name);
                    if (fails) {
                        throw new IllegalArgumentException("bad report " + name);
                    }
                    return row;
                });
                assertTrue(userNames().contains(name), name + " returned before it was committed");
                return inserted;
            }, callers));
        }
        return calls;
    }

    private void awaitQueued(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (transactions.waiting() < n) {
            assertTrue(System.nanoTime() < deadline, "calls never queued");
            Thread.sleep(5);
        }
    }

    private static String causes(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append(" / ");
        }
        return messages.toString();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void callsThatQueueMeanwhileShareOneTransactionAndEachGetsItsOwnResult() throws Exception {
        CountDownLatch release = occupyWriter().release();
        List<CompletableFuture<Inserted>> calls = queue(20, "buyer-", -1);
        awaitQueued(20);
        release.countDown();

        List<Inserted> results = new ArrayList<>();
        for (CompletableFuture<Inserted> call : calls) {
            results.add(call.get(10, TimeUnit.SECONDS));
        }
        assertEquals(1, results.stream().map(Inserted::handle).distinct().count(), "one transaction for the group");
        assertEquals(1, results.stream().map(Inserted::dao).distinct().count(), "the DAO attached once for the group");
        List<String> names = userNames();
        assertEquals(21, names.size());
        for (int i = 0; i < 20; i++) {
            // each caller got the id of its own row
            assertEquals("buyer-" + i, names.get((int) results.get(i).id() - 1));
        }
    }

    @Test
    void aCallThatThrowsIsRolledBackAloneAndTheOthersInItsGroupCommit() throws Exception {
        CountDownLatch release = occupyWriter().release();
        List<CompletableFuture<Inserted>> calls = queue(5, "buyer-", 2);
        awaitQueued(5);
        release.countDown();

        Exception failed = assertThrows(Exception.class, () -> calls.get(2).get(10, TimeUnit.SECONDS));
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, failed.getCause());
        assertEquals("bad report buyer-2", cause.getMessage());
        for (int i : new int[] {0, 1, 3, 4}) {
            calls.get(i).get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of("blocker", "buyer-0", "buyer-1", "buyer-3", "buyer-4"), userNames().stream().sorted().toList());
        // and the writer goes on serving
        transactions.inTransaction(transaction -> insertUser(transaction, "later"));
        assertTrue(userNames().contains("later"));
    }

    @Test
    void whenTheCommitItselfFailsEveryCallerOfTheGroupGetsTheErrorAndNoWorkRunsAgain() throws Exception {
        CountDownLatch release = occupyWriter().release();
        AtomicInteger runs = new AtomicInteger();
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "buyer-" + i;
            boolean breaksCommit = i == 1;
            calls.add(CompletableFuture.supplyAsync(() -> transactions.inTransaction(transaction -> {
                runs.incrementAndGet();
                if (breaksCommit) {
                    // a foreign-key violation that SQLite reports only at COMMIT
                    transaction.handle().execute("PRAGMA defer_foreign_keys = ON");
                    transaction.handle().execute("""
                            INSERT INTO orders (merchant_uid, user_id, name, amount, currency, created_at, updated_at)
                            VALUES ('orphan', 999, 'x', '1', 'KRW', 'now', 'now')""");
                }
                return (Object) insertUser(transaction, name);
            }), callers));
        }
        awaitQueued(3);
        release.countDown();

        for (CompletableFuture<Object> call : calls) {
            Exception e = assertThrows(Exception.class, () -> call.get(10, TimeUnit.SECONDS));
            assertTrue(causes(e).contains("FOREIGN KEY"), causes(e));
        }
        assertEquals(3, runs.get(), "each work ran once");
        assertEquals(List.of("blocker"), userNames());
    }

    @Test
    void aCallReturnsOnlyOnceItsWorkIsCommitted() throws Exception {
        transactions.inTransaction(transaction -> insertUser(transaction, "alone"));

        assertEquals(List.of("alone"), userNames());
    }

    @Test
    void workThatStartsAnotherTransactionFailsInsteadOfWaitingForItself() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> transactions.inTransaction(outer -> transactions.inTransaction(inner -> 1)));

        assertTrue(e.getMessage().contains("wait for itself"), e.getMessage());
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the check it would hang
    void aThreadHoldingTheConnectionCannotQueueWorkThatWouldWaitForIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> database.jdbi().useHandle(
                handle -> transactions.inTransaction(transaction -> insertUser(transaction, "never"))));

        assertTrue(e.getMessage().contains("wait for itself"), e.getMessage());
    }

    @Test
    void closingCommitsWhatIsQueuedAndThenRefusesNewWork() throws Exception {
        CountDownLatch release = occupyWriter().release();
        List<CompletableFuture<Inserted>> calls = queue(3, "queued-", -1);
        awaitQueued(3);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(database::close, callers);
        release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        database = null;

        // committed before close returned
        assertEquals(List.of("blocker", "queued-0", "queued-1", "queued-2"), userNames().stream().sorted().toList());
        for (CompletableFuture<Inserted> call : calls) {
            call.get(10, TimeUnit.SECONDS);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> transactions.inTransaction(transaction -> insertUser(transaction, "late")));
        assertEquals("the database is closed", e.getMessage());
    }

    @Test
    void aThreadWaitingForTheConnectionGetsItAfterTheGroupInProgress() throws Exception {
        Occupied first = occupyWriter();
        CompletableFuture<Integer> read = new CompletableFuture<>();
        Thread reader = new Thread(() -> read.complete(database.jdbi().withHandle(
                handle -> handle.createQuery("SELECT count(*) FROM users").mapTo(Integer.class).one())));
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reader.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "the reader never waited for the connection");
            Thread.sleep(5);
        }
        List<CompletableFuture<Inserted>> next = queue(1, "next-", -1);
        awaitQueued(1);
        first.release().countDown();

        Inserted second = next.get(0).get(10, TimeUnit.SECONDS);
        assertEquals(1, read.get(10, TimeUnit.SECONDS), "read between the two groups");
        assertTrue(first.blocker().get(10, TimeUnit.SECONDS).dao() != second.dao(), "the writer let go of its handle");
    }

    @Test
    void groupsThatFollowEachOtherWithNoReaderWaitingShareTheWritersHandle() throws Exception {
        Occupied first = occupyWriter();
        List<CompletableFuture<Inserted>> next = queue(1, "next-", -1);
        awaitQueued(1);
        first.release().countDown();

        Inserted second = next.get(0).get(10, TimeUnit.SECONDS);
        assertTrue(first.blocker().get(10, TimeUnit.SECONDS).dao() == second.dao(),
                "the second group used the DAOs attached for the first");
        assertEquals(List.of("blocker", "next-0"), userNames());
    }

    @Test
    void afterACommitFailsTheWriterGoesOnWithAFreshHandle() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<UserDao> failedDao = new AtomicReference<>();
        CompletableFuture<Object> failing = CompletableFuture.supplyAsync(() -> transactions.inTransaction(transaction -> {
            entered.countDown();
            await(release);
            failedDao.set(transaction.dao(UserDao.class));
            // a foreign-key violation that SQLite reports only at COMMIT
            transaction.handle().execute("PRAGMA defer_foreign_keys = ON");
            transaction.handle().execute("""
                    INSERT INTO orders (merchant_uid, user_id, name, amount, currency, created_at, updated_at)
                    VALUES ('orphan', 999, 'x', '1', 'KRW', 'now', 'now')""");
            return null;
        }), callers);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        List<CompletableFuture<Inserted>> next = queue(1, "next-", -1);
        awaitQueued(1);
        release.countDown();

        assertThrows(Exception.class, () -> failing.get(10, TimeUnit.SECONDS));
        Inserted after = next.get(0).get(10, TimeUnit.SECONDS);
        assertTrue(after.dao() != failedDao.get(), "the handle whose commit failed was let go");
        assertEquals(List.of("next-0"), userNames());
    }
}
