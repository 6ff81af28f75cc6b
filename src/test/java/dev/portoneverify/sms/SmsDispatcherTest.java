package dev.portoneverify.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portoneverify.db.Database;
import dev.portoneverify.testsupport.MutableClock;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.user.UserDao;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox dispatcher: retries with backoff, never sends a message twice. */
class SmsDispatcherTest {
    @TempDir
    Path dir;
    private TestDatabase testDatabase;
    private Database database;
    private SmsOutboxDao outbox;
    private final MutableClock clock = MutableClock.startingNow();

    @BeforeEach
    void database() {
        testDatabase = TestDatabase.create(dir);
        database = Database.open(testDatabase.settings());
        assertEquals(1, database.jdbi().onDemand(UserDao.class).insert("홍길동", "010-1234-5678", clock.instant()));
        outbox = database.jdbi().onDemand(SmsOutboxDao.class);
    }

    @AfterEach
    void close() {
        database.close();
        testDatabase.close();
    }

    @Test
    void a_failing_provider_is_retried_after_its_backoff_and_the_message_goes_out_once() throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        SmsSender flaky = (phone, text) -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("provider down");
            }
            delivered.add(text);
        };
        outbox.enqueue("vbank:imp_1", 1, "010-1234-5678", "가상계좌 안내", clock.instant());
        try (SmsDispatcher dispatcher = new SmsDispatcher(outbox, flaky, clock)) {
            drain(dispatcher);
            assertEquals(1, calls.get());
            drain(dispatcher);                       // backoff not over: not tried again
            assertEquals(1, calls.get());

            clock.advance(Duration.ofSeconds(5));
            drain(dispatcher);
            assertEquals(2, calls.get());
            clock.advance(Duration.ofSeconds(9));    // second backoff is 10 s
            drain(dispatcher);
            assertEquals(2, calls.get());
            clock.advance(Duration.ofSeconds(1));
            drain(dispatcher);
            drain(dispatcher);
        }

        assertEquals(List.of("가상계좌 안내"), delivered);
        OutboxMessage message = outbox.all().get(0);
        assertNotNull(message.sentAt());
        assertNull(message.lastError());
        assertEquals(3, message.attempts());
    }

    @Test
    void a_message_the_provider_refuses_for_good_is_not_tried_again_and_is_listed_as_undeliverable() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SmsSender refusing = (phone, text) -> {
            calls.incrementAndGet();
            throw new SmsFailure.Rejected("1062", "Solapi did not accept the message: 1062 발신번호 미등록");
        };
        outbox.enqueue("vbank:imp_r", 1, "010-1234-5678", "가상계좌 안내", clock.instant());
        outbox.enqueue("vbank:imp_q", 1, "010-1234-5678", "다른 안내", clock.instant());
        long retried = outbox.all().get(1).id();
        try (SmsDispatcher dispatcher = new SmsDispatcher(outbox, refusing, clock)) {
            drain(dispatcher);
            assertEquals(2, calls.get());
            clock.advance(Duration.ofHours(2));
            drain(dispatcher);
            assertEquals(2, calls.get(), "refused for good: never tried again, whatever the backoff");
        }

        OutboxMessage refused = outbox.all().get(0);
        assertNotNull(refused.gaveUpAt());
        assertEquals("1062: Solapi did not accept the message: 1062 발신번호 미등록", refused.lastError());
        assertEquals(0, outbox.unsentCount(), "not waiting any more");
        assertEquals(2, outbox.undeliverable(SmsDispatcher.MAX_ATTEMPTS, 100).size());
        assertEquals(retried, outbox.undeliverable(SmsDispatcher.MAX_ATTEMPTS, 100).get(0).id(), "newest first");
    }

    @Test
    void a_message_that_ran_out_of_attempts_is_listed_as_undeliverable_too() throws Exception {
        SmsSender down = (phone, text) -> {
            throw new SmsFailure.RetryLater("http_503", "Solapi answered HTTP 503", null);
        };
        outbox.enqueue("vbank:imp_d", 1, "010-1234-5678", "안내", clock.instant());
        try (SmsDispatcher dispatcher = new SmsDispatcher(outbox, down, clock)) {
            for (int attempt = 0; attempt < SmsDispatcher.MAX_ATTEMPTS; attempt++) {
                assertEquals(List.of(), outbox.undeliverable(SmsDispatcher.MAX_ATTEMPTS, 100));
                drain(dispatcher);
                clock.advance(Duration.ofHours(1));
            }
        }
        List<OutboxMessage> undeliverable = outbox.undeliverable(SmsDispatcher.MAX_ATTEMPTS, 100);
        assertEquals(1, undeliverable.size());
        assertNull(undeliverable.get(0).gaveUpAt());
        assertEquals("http_503: Solapi answered HTTP 503", undeliverable.get(0).lastError());
    }

    @Test
    void a_message_marked_sent_is_never_sent_again_by_a_new_dispatcher() throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        outbox.enqueue("vbank:imp_2", 1, "010-1234-5678", "안내", clock.instant());
        try (SmsDispatcher first = new SmsDispatcher(outbox, (p, t) -> delivered.add(t), clock)) {
            drain(first);
        }
        try (SmsDispatcher afterRestart = new SmsDispatcher(outbox, (p, t) -> delivered.add(t), clock)) {
            drain(afterRestart);
        }

        assertEquals(1, delivered.size());
    }

    @Test
    void a_message_being_sent_by_one_instance_is_not_sent_by_another_on_the_same_database() throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        SmsSender slow = (phone, text) -> {
            sending.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivered.add("first:" + text);
        };
        outbox.enqueue("vbank:imp_4", 1, "010-1234-5678", "안내", clock.instant());
        try (SmsDispatcher first = new SmsDispatcher(outbox, slow, clock);
             SmsDispatcher second = new SmsDispatcher(outbox, (p, t) -> delivered.add("second:" + t), clock)) {
            first.wake();
            sending.await();                        // the first instance is inside send()
            drain(second);
            release.countDown();
            drain(first);
        }

        assertEquals(List.of("first:안내"), delivered);
        assertNotNull(outbox.all().get(0).sentAt());
    }

    @Test
    void a_claim_left_by_a_crashed_sender_runs_out_and_the_message_is_sent() throws Exception {
        outbox.enqueue("vbank:imp_5", 1, "010-1234-5678", "안내", clock.instant());
        long id = outbox.all().get(0).id();
        assertEquals(1, outbox.claim(id, clock.instant(), clock.instant().plus(Duration.ofMinutes(5))));
        List<String> delivered = new CopyOnWriteArrayList<>();
        try (SmsDispatcher dispatcher = new SmsDispatcher(outbox, (p, t) -> delivered.add(t), clock)) {
            drain(dispatcher);
            assertEquals(List.of(), delivered);
            clock.advance(Duration.ofMinutes(5));
            drain(dispatcher);
        }

        assertEquals(List.of("안내"), delivered);
    }

    @Test
    void the_same_message_key_is_queued_only_once() {
        assertEquals(1, outbox.enqueue("vbank:imp_3", 1, "010", "a", clock.instant()));
        assertEquals(0, outbox.enqueue("vbank:imp_3", 1, "010", "a", clock.instant()));
    }

    @Test
    void backoff_doubles_from_five_seconds_up_to_an_hour() {
        assertEquals(Duration.ofSeconds(5), SmsDispatcher.backoff(0));
        assertEquals(Duration.ofSeconds(10), SmsDispatcher.backoff(1));
        assertEquals(Duration.ofSeconds(40), SmsDispatcher.backoff(3));
        assertEquals(Duration.ofHours(1), SmsDispatcher.backoff(15));
    }

    /** wake() hands the work to the dispatcher's thread; a second wake() returns after the first ran. */
    private static void drain(SmsDispatcher dispatcher) throws Exception {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        dispatcher.wake();
        dispatcher.afterPendingWork(done::countDown);
        done.await();
    }
}
