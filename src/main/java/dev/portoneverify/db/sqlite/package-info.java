/**
 * How {@link dev.portoneverify.db.Database} runs SQLite fast enough for a flash sale: one kept-open
 * connection that every call takes in turn ({@code SqliteConnections}), and one writer thread that
 * commits the verifications queued meanwhile in one transaction ({@code GroupCommit}). Each is here
 * because the benchmark measured what it saves (bench/README.md; kept statements and a checkpoint
 * thread were measured within noise and taken out, issue 14).
 *
 * <p>A first reading can skip this package: nothing outside {@code db} uses it (ArchitectureTest), and
 * the rest of the code sees only {@code Database}, {@code Transactions} and {@code Transaction}, which
 * behave the same on PostgreSQL.
 */
package dev.portoneverify.db.sqlite;
