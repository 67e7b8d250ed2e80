package cloud.phonematch.verify.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's directory, for tests that read its files (template.yaml, events/, README.md), and the function's
 * module in it ({@code function/}: its pom.xml, sources and {@code target/function.zip}).
 */
public final class ProjectRoot {
    /** Surefire and Failsafe run in the module's directory; the basedir property covers a run from elsewhere. */
    public static final Path MODULE = (Files.exists(Path.of("src/build/java/RepackFunctionZip.java")) ? Path.of("")
            : Path.of(System.getProperty("basedir"))).toAbsolutePath();
    /** The directory above the module: the repository, with the Maven wrapper and the deployment files. */
    public static final Path PATH = MODULE.getParent();

    private ProjectRoot() {
    }
}
