package cloud.phonematch.verify.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project directory, for tests that read its files (template.yaml, events/, target/function.zip). */
public final class ProjectRoot {
    /** Surefire and Failsafe run in the project directory; the basedir property covers a run from elsewhere. */
    public static final Path PATH = Files.exists(Path.of("pom.xml")) ? Path.of("") : Path.of(System.getProperty("basedir"));

    private ProjectRoot() {
    }
}
