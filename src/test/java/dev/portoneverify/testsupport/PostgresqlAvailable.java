package dev.portoneverify.testsupport;

import dev.portoneverify.db.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (META-INF/services, junit-platform.properties). In the PostgreSQL run of
 * the suite, when no PostgreSQL answers, every test is skipped and one line says so; with
 * REQUIRE_POSTGRESQL_TESTS=true (CI) the run fails instead of skipping. In the SQLite run it does nothing.
 */
public final class PostgresqlAvailable implements ExecutionCondition {
    private static final ConditionEvaluationResult ENABLED = ConditionEvaluationResult.enabled("not the PostgreSQL run");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!TestDatabase.postgresqlRun()) {
            return ENABLED;
        }
        // asked once per run, kept in the run's root store
        String problem = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(PostgresqlAvailable.class, key -> probe(), String.class);
        if (problem.isEmpty()) {
            return ConditionEvaluationResult.enabled("PostgreSQL answers");
        }
        if ("true".equals(System.getenv("REQUIRE_POSTGRESQL_TESTS"))) {
            throw new IllegalStateException("REQUIRE_POSTGRESQL_TESTS=true but " + problem);
        }
        return ConditionEvaluationResult.disabled(problem);
    }

    private static String probe() {
        String url = TestDatabase.postgresqlUrl();
        String problem;
        try (Connection connection = DriverManager.getConnection(url)) {
            if (connection.isValid(5)) {
                return "";
            }
            problem = "it does not answer";
        } catch (SQLException e) {
            problem = e.getMessage();
        }
        String line = "no PostgreSQL at " + DatabaseSettings.redact(url) + " (" + problem
                + "): the PostgreSQL run of the suite is skipped; start one or set TEST_DATABASE_URL";
        System.out.println("[PostgreSQL] " + line);
        return line;
    }
}
