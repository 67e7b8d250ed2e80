package cloud.phonematch.verify.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages' imports point one way (docs/architecture.md): the composition root ({@code config}) on top, seeing
 * everything and seen by nothing; the handler over the flow ({@code verification}: the flow, its ports, the charge
 * rule); the adapters ({@code upstream}, {@code secrets}, {@code records}, {@code aws}, {@code observability},
 * {@code sandbox}) implementing the flow's ports, each with its rehearsal; the priming ({@code priming}), which gets
 * the function ready by asking the packages' rehearsals and so knows none of them; and a ground of pure code
 * ({@code precheck}, {@code output}, {@code json}, {@code crypto}, {@code http}) that knows none of them.
 */
class PackageArrowsTest {
    private static final String ROOT = "cloud.phonematch.verify";

    private static final JavaClasses FUNCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    /** No cycle among the packages right under {@code root}. */
    private static ArchRule noCycleUnder(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    @Test
    void noPackageCycle() {
        noCycleUnder(ROOT).check(FUNCTION);
    }

    @Test
    void theRuleFindsACycle() {
        String fixtures = ROOT + ".architecture.cycle";
        JavaClasses cycle = new ClassFileImporter().importPackages(fixtures);
        assertThrows(AssertionError.class, () -> noCycleUnder(fixtures).check(cycle));
    }

    @Test
    void nothingButTheCompositionRootSeesIt() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".config..").should().dependOnClassesThat()
                .resideInAPackage(ROOT + ".config..").check(FUNCTION);
    }

    @Test
    void theGroundKnowsNoAdapterAndNoFlow() {
        noClasses().that().resideInAnyPackage(ROOT + ".precheck..", ROOT + ".output..", ROOT + ".json..",
                ROOT + ".crypto..", ROOT + ".http..").should().dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".verification..", ROOT + ".handler..", ROOT + ".config..",
                        ROOT + ".upstream..", ROOT + ".secrets..", ROOT + ".records..", ROOT + ".aws..",
                        ROOT + ".observability..", ROOT + ".sandbox..", ROOT + ".priming..", ROOT + ".localgateway..")
                .check(FUNCTION);
    }

    @Test
    void thePrimingKnowsNoPackageItPrimes() {
        noClasses().that().resideInAPackage(ROOT + ".priming..").should().dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".handler..", ROOT + ".upstream..", ROOT + ".secrets..",
                        ROOT + ".records..", ROOT + ".aws..", ROOT + ".observability..", ROOT + ".sandbox..",
                        ROOT + ".localgateway..")
                .check(FUNCTION);
    }

    @Test
    void theFlowKnowsNoAdapter() {
        noClasses().that().resideInAPackage(ROOT + ".verification..").should().dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".handler..", ROOT + ".upstream..", ROOT + ".secrets..",
                        ROOT + ".records..", ROOT + ".aws..", ROOT + ".observability..", ROOT + ".sandbox..",
                        ROOT + ".priming..", ROOT + ".localgateway..")
                .check(FUNCTION);
    }
}
