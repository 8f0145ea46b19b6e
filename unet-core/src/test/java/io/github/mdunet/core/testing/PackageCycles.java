package io.github.mdunet.core.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.regex.Pattern;

/**
 * The project's layering rule, checked on compiled classes with ArchUnit: the packages of a module never depend on
 * each other in a circle (a package and its sub-package count as two packages). A failure lists each circle with
 * the classes and members that close it.
 */
public final class PackageCycles {

    private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");

    private PackageCycles() {
    }

    /**
     * Fails when the main classes under {@code rootPackage} (one module's, e.g. {@code io.github.mdunet.core}) form a
     * package cycle; their tests and the other modules' test-jars are left out.
     */
    public static void assertNone(String rootPackage) {
        ImportOption mainClassesOnly = location -> ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
                && !location.matches(TEST_JAR);
        JavaClasses classes = new ClassFileImporter().withImportOption(mainClassesOnly).importPackages(rootPackage);
        SlicesRuleDefinition.slices().matching("io.github.mdunet.(**)").should().beFreeOfCycles()
                .because("each package imports only packages below it (docs/ARCHITECTURE.md)")
                .check(classes);
    }
}
