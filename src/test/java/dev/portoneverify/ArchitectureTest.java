package dev.portoneverify;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules the package layout stands on (docs/code.md), checked on the
 * compiled main classes so that a change that breaks one fails the build, not a later reader.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.portoneverify");

    @Test
    void no_two_packages_depend_on_each_other_even_through_others() {
        // (**) makes every package a slice of its own: db and db.sqlite count as two
        slices().matching("dev.portoneverify.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void nothing_imports_the_composition_root() {
        noClasses().that().resideOutsideOfPackage("dev.portoneverify")
                .should().dependOnClassesThat().resideInAPackage("dev.portoneverify")
                .because("the root (Main, App, Server, Config) builds the app; features receive what they need")
                .check(MAIN);
    }

    @Test
    void only_the_database_package_reaches_the_sqlite_write_path() {
        noClasses().that().resideOutsideOfPackage("dev.portoneverify.db..")
                .should().dependOnClassesThat().resideInAPackage("dev.portoneverify.db.sqlite..")
                .because("group commit and its friends are how db runs SQLite, not an API")
                .check(MAIN);
    }

    @Test
    void the_portone_client_and_the_sms_senders_know_nothing_of_http_handlers() {
        noClasses().that().resideInAnyPackage("dev.portoneverify.portone..", "dev.portoneverify.sms..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "dev.portoneverify.web..")
                .check(MAIN);
    }

    @Test
    void the_http_kit_and_the_database_access_know_no_feature() {
        noClasses().that().resideInAnyPackage("dev.portoneverify.web..", "dev.portoneverify.db..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.portoneverify.user..", "dev.portoneverify.order..", "dev.portoneverify.payment..",
                        "dev.portoneverify.portone..", "dev.portoneverify.sms..", "dev.portoneverify.reconcile..",
                        "dev.portoneverify.admin..", "dev.portoneverify.checkout..", "dev.portoneverify.sandbox..",
                        "dev.portoneverify.ops..", "dev.portoneverify.tools..")
                .check(MAIN);
    }
}
