package cloud.phonematch.verify.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.phonematch.verify.support.ProjectRoot;

/**
 * bin/check-function-zip, bin/deploy and bin/stack-outputs: a zip that does not fit the environment's Runtime and
 * Architecture never reaches {@code sam deploy}; what a deploy needs (sam, an AWS region and credentials, a running
 * container engine for a native build in a container) is checked before anything is built, each missing one refused
 * with one line; the stack's outputs become the shell variables the docs use. The zips are made here with the shapes
 * the checks read (a native zip's {@code bootstrap} ELF header and executable bit, a JVM zip's {@code lib/*.jar});
 * {@code ./mvnw} and the commands on the scripts' PATH ({@code sam}, {@code aws}, {@code docker}, ...) are stand-ins
 * that write down how they were called.
 */
class DeployScriptTest {
    static final int X86_64 = 62;
    static final int AARCH64 = 183;

    @TempDir
    static Path zips;
    static Path nativeX86;
    static Path nativeArm;
    static Path jvm;
    static Path jvmAotX86;
    static Path jvmAotArm;

    @TempDir
    Path project;

    @BeforeAll
    static void makeZips() throws Exception {
        nativeX86 = zip("native-x86_64.zip", "bootstrap", elf(X86_64), "rwxr-xr-x");
        nativeArm = zip("native-arm64.zip", "bootstrap", elf(AARCH64), "rwxr-xr-x");
        jvm = zip("jvm.zip", "lib/function-dependencies.jar", new byte[] {'P', 'K', 5, 6}, "rw-r--r--");
        jvmAotX86 = jvmAot("jvm-aot-x86_64.zip", X86_64, "rwxr-xr-x");
        jvmAotArm = jvmAot("jvm-aot-arm64.zip", AARCH64, "rwxr-xr-x");
    }

    // ------------------------------------------------------------------ bin/check-function-zip

    @Test
    void aNativeZipFitsOnlyTheNativeRuntimeOnTheMachineTypeItWasBuiltFor() throws Exception {
        assertEquals(0, check("native", "x86_64", nativeX86).exit());
        assertEquals(0, check("native", "arm64", nativeArm).exit());

        Run wrongArchitecture = check("native", "arm64", nativeX86);
        assertEquals(1, wrongArchitecture.exit());
        assertTrue(wrongArchitecture.output().contains("its bootstrap is built for x86_64"), wrongArchitecture.output());

        Run wrongRuntime = check("jvm", "x86_64", nativeX86);
        assertEquals(1, wrongRuntime.exit());
        assertTrue(wrongRuntime.output().contains("it is a native build"), wrongRuntime.output());
    }

    @Test
    void aJvmZipFitsTheJvmRuntimeOnEitherArchitectureAndNeverTheNativeOne() throws Exception {
        assertEquals(0, check("jvm", "x86_64", jvm).exit());
        assertEquals(0, check("jvm", "arm64", jvm).exit());

        Run onProvided = check("native", "x86_64", jvm);
        assertEquals(1, onProvided.exit());
        assertTrue(onProvided.output().contains("it is a jvm build; build it with ./mvnw package -Dnative"),
                onProvided.output());
    }

    @Test
    void aJvmAotZipFitsOnlyItsRuntimeOnTheMachineTypeOfItsJavaRuntime() throws Exception {
        assertEquals(0, check("jvm-aot", "x86_64", jvmAotX86).exit());
        assertEquals(0, check("jvm-aot", "arm64", jvmAotArm).exit());

        Run wrongArchitecture = check("jvm-aot", "arm64", jvmAotX86);
        assertEquals(1, wrongArchitecture.exit());
        assertTrue(wrongArchitecture.output().contains("its java/bin/java is built for x86_64"),
                wrongArchitecture.output());

        Run onJava21 = check("jvm", "x86_64", jvmAotX86);
        assertEquals(1, onJava21.exit());
        assertTrue(onJava21.output().contains("it is a jvm-aot build; build it with ./mvnw package or deploy with"
                + " Runtime=jvm-aot"), onJava21.output());
        Run onNative = check("native", "x86_64", jvmAotX86);
        assertTrue(onNative.output().contains("it is a jvm-aot build"), onNative.output());

        Run jvmZip = check("jvm-aot", "x86_64", jvm);
        assertEquals(1, jvmZip.exit());
        assertTrue(jvmZip.output().contains("it is a jvm build; build it with ./mvnw package -Djvm-aot"), jvmZip.output());
        Run nativeZip = check("jvm-aot", "x86_64", nativeX86);
        assertTrue(nativeZip.output().contains("it is a native build; build it with ./mvnw package -Djvm-aot"),
                nativeZip.output());

        Run javaNotExecutable = check("jvm-aot", "x86_64", jvmAot("java-plain.zip", X86_64, "rw-r--r--"));
        assertEquals(1, javaNotExecutable.exit());
        assertTrue(javaNotExecutable.output().contains("its java/bin/java is not marked executable"),
                javaNotExecutable.output());
    }

    @Test
    void theJava25RuntimeTakesTheJvmZip() throws Exception {
        assertEquals(0, check("jvm25", "arm64", jvm).exit());
        Run nativeZip = check("jvm25", "x86_64", nativeX86);
        assertEquals(1, nativeZip.exit());
        assertTrue(nativeZip.output().contains("it is a native build; build it with ./mvnw package or deploy with"
                + " Runtime=native"), nativeZip.output());
    }

    @Test
    void aBootstrapLambdaCannotRunIsRefused() throws Exception {
        Run notExecutable = check("native", "x86_64", zip("plain.zip", "bootstrap", elf(X86_64), "rw-r--r--"));
        assertEquals(1, notExecutable.exit());
        assertTrue(notExecutable.output().contains("not marked executable"), notExecutable.output());

        Run script = check("native", "x86_64",
                zip("script.zip", "bootstrap", "#!/bin/sh\nexec java -jar x\n".getBytes(StandardCharsets.UTF_8),
                        "rwxr-xr-x"));
        assertEquals(1, script.exit());
        assertTrue(script.output().contains("its bootstrap is a script, but the zip has no java/bin/java and app.aot"),
                script.output());

        Run other = check("native", "x86_64", zip("riscv.zip", "bootstrap", elf(243), "rwxr-xr-x"));
        assertEquals(1, other.exit());
        assertTrue(other.output().contains("ELF machine type 243"), other.output());

        Run neither = check("jvm", "x86_64", zip("empty.zip", "README", new byte[] {1}, "rw-r--r--"));
        assertEquals(1, neither.exit());
        assertTrue(neither.output().contains("neither a native build"), neither.output());

        assertEquals(1, check("jvm", "x86_64", zips.resolve("absent.zip")).exit());
        assertEquals(2, check("graalvm", "x86_64", jvm).exit());
        assertEquals(2, check("jvm", "amd64", jvm).exit());
    }

    // ------------------------------------------------------------------ bin/deploy: what it builds

    @Test
    void theDefaultEnvironmentIsTheJvmBuildAnyMachineMakes() throws Exception {
        copyProject();
        Run run = deploy();
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("[default] deploys Runtime=jvm Architecture=arm64"), run.output());
        assertEquals(List.of("-B package -DskipTests"), calls("mvnw"), "no GraalVM, no container");
        assertEquals(List.of("deploy --config-env default"), calls("sam"));
    }

    @Test
    void theJvmEnvironmentIsBuiltWithMavenThenChecked() throws Exception {
        copyProject();
        Run run = deploy("--config-env", "sandbox");
        assertEquals(0, run.exit(), run.output());
        assertEquals(List.of("-B package -DskipTests"), calls("mvnw"));
        assertEquals(List.of("deploy --config-env sandbox"), calls("sam"));
    }

    @Test
    void aPrebuiltZipIsCheckedAgainstTheEnvironmentBeforeSamSeesIt() throws Exception {
        copyProject();
        samconfig("""
                [native.deploy.parameters]
                parameter_overrides = "Upstream=sandbox Runtime=native Architecture=x86_64"
                """);
        Run refused = deploy("--config-env", "native", "--zip", jvm.toString());
        assertRefused(refused, zips.resolve("jvm.zip") + " does not fit Runtime=native Architecture=x86_64: it is a jvm"
                + " build; build it with ./mvnw package -Dnative or deploy with Runtime=jvm");
        assertTrue(refused.output().contains("[native] deploys Runtime=native Architecture=x86_64"), refused.output());
        assertEquals(List.of(), calls("sam"), "nothing is deployed");
        assertEquals(List.of(), calls("aws"), "checked before AWS is asked");
        assertFalse(Files.exists(project.resolve("function/target/function.zip")), "nothing is put where sam would take it");

        assertEquals(1, deploy("--config-env", "native", "--zip", nativeArm.toString()).exit());
        assertEquals(List.of(), calls("sam"));

        Run deployed = deploy("--config-env", "native", "--zip", nativeX86.toString(), "--no-execute-changeset");
        assertEquals(0, deployed.exit(), deployed.output());
        assertEquals(List.of("deploy --config-env native --no-execute-changeset"), calls("sam"));
        assertArrayEquals(Files.readAllBytes(nativeX86), Files.readAllBytes(project.resolve("function/target/function.zip")));
        assertEquals(List.of(), calls("mvnw"), "a given zip is not rebuilt");
    }

    @Test
    void aNativeBuildForAnotherMachineTypeIsRefusedBeforeBuilding() throws Exception {
        copyProject();
        String other = otherArchitecture();
        samconfig("""
                [other.deploy.parameters]
                parameter_overrides = "Upstream=sandbox Runtime=native Architecture=%s"
                [unnamed.deploy.parameters]
                parameter_overrides = "Upstream=sandbox"
                """.formatted(other));
        Run run = deploy("--config-env", "other");
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.errors().contains("cannot be built on this " + hostArchitecture() + " machine"), run.output());
        assertTrue(run.errors().contains("--zip"), "says how to deploy the other architecture: " + run.output());
        assertEquals(List.of(), calls("mvnw"));
        assertEquals(List.of(), calls("sam"));

        assertRefused(deploy("--config-env", "unnamed"), "[unnamed] in samconfig.toml must name Runtime and Architecture"
                + " in parameter_overrides (or give them with --parameter-overrides): the build follows them");
        assertRefused(deploy("--config-env", "nowhere"), "samconfig.toml has no environment [nowhere]");
        assertEquals(List.of(), calls("sam"));
    }

    @Test
    void aJvmAotBuildIsMadeHereOnlyForThisMachineTypeWithJdk25() throws Exception {
        copyProject();
        String other = otherArchitecture();
        samconfig("""
                [aot.deploy.parameters]
                parameter_overrides = "Upstream=sandbox Runtime=jvm-aot Architecture=%s"
                [aotother.deploy.parameters]
                parameter_overrides = "Upstream=sandbox Runtime=jvm-aot Architecture=%s"
                """.formatted(hostArchitecture(), other));
        Path java25 = fakeJdk("jdk25", "25");
        Run built = deploy(Map.of("JAVA_HOME", java25.toString()), "--config-env", "aot");
        assertEquals(0, built.exit(), built.output());
        assertEquals(List.of("-B package -DskipTests -Djvm-aot"), calls("mvnw"));
        assertArrayEquals(Files.readAllBytes(forThisMachine(jvmAotArm, jvmAotX86)),
                Files.readAllBytes(project.resolve("function/target/function.zip")), "the jvm-aot zip is what sam takes");
        assertEquals(List.of("deploy --config-env aot"), calls("sam"));

        assertRefused(deploy(Map.of("JAVA_HOME", fakeJdk("jdk21", "21").toString()), "--config-env", "aot"),
                "Runtime=jvm-aot needs JDK 25 or later to build its runtime image and cache; " + project.resolve(
                        "jdk21/bin/java") + " is 21. Set JAVA_HOME to a JDK 25, or deploy Runtime=jvm.");
        assertEquals(List.of(), calls("mvnw"));

        assertRefused(deploy(Map.of("JAVA_HOME", java25.toString()), "--config-env", "aotother"), "Runtime=jvm-aot"
                + " Architecture=" + other + " cannot be built on this Linux " + hostArchitecture() + " machine: its"
                + " Java runtime image and cache are this machine's own. Build on a Linux " + other + " machine with"
                + " JDK 25 and pass its function-jvm-aot.zip with --zip <file>, or deploy Runtime=jvm25 (Lambda's"
                + " java25).");
        assertEquals(List.of(), calls("mvnw"));

        // Built elsewhere and given: checked as any zip.
        Run given = deploy("--config-env", "aotother", "--zip",
                (other.equals("arm64") ? jvmAotArm : jvmAotX86).toString());
        assertEquals(0, given.exit(), given.output());
        assertEquals(List.of(), calls("mvnw"));

        Run java25Runtime = deploy("--config-env", "aot", "--parameter-overrides", "Runtime=jvm25");
        assertEquals(0, java25Runtime.exit(), java25Runtime.output());
        assertEquals(List.of("-B package -DskipTests"), calls("mvnw"), "Lambda's java25 takes the JVM zip");
    }

    @Test
    void guidedIsRefusedWithWhatToDoInstead() throws Exception {
        copyProject();
        Run run = deploy("--guided");
        assertEquals(2, run.exit());
        assertTrue(run.output().contains("sam deploy --guided --config-env default"), run.output());
        assertEquals(List.of(), calls("sam"));
    }

    // ------------------------------------------------------------------ bin/deploy: --parameter-overrides

    /**
     * sam deploy would drop the environment's parameter_overrides for the command line's; bin/deploy merges them,
     * key by key, and hands sam the whole list, so the Runtime and Architecture it built for are the deployed ones.
     */
    @Test
    void parameterOverridesOnTheCommandLineReplaceTheEnvironmentsKeysAndKeepTheOthers() throws Exception {
        copyProject();
        samconfig("""
                [live.deploy.parameters]
                parameter_overrides = "Upstream=live Runtime=native Architecture=x86_64 TokenSecretArn=arn:secret"
                """);
        assertEquals(1, deploy("--config-env", "live", "--zip", nativeArm.toString()).exit(), "the environment says x86_64");

        Run arm = deploy("--config-env", "live", "--zip", nativeArm.toString(), "--parameter-overrides", "Architecture=arm64");
        assertEquals(0, arm.exit(), arm.output());
        assertTrue(arm.output().contains("[live] deploys Runtime=native Architecture=arm64"), arm.output());
        assertEquals(List.of("deploy --config-env live --parameter-overrides Upstream=live Runtime=native"
                + " Architecture=arm64 TokenSecretArn=arn:secret"), calls("sam"));
        Run longForm = deploy("--config-env", "live", "--parameter-overrides",
                "ParameterKey=Architecture,ParameterValue=arm64", "--zip", nativeArm.toString());
        assertEquals(0, longForm.exit(), longForm.output());
        assertEquals(List.of("deploy --config-env live --parameter-overrides Upstream=live Runtime=native"
                + " Architecture=arm64 TokenSecretArn=arn:secret"), calls("sam"));

        // The overrides end at the next option, as sam reads them; a value with a space stays one value.
        Run jvmBuild = deploy("--config-env", "live", "--parameter-overrides", "Runtime=jvm",
                "JwtAudience=\"client one\"", "--no-execute-changeset");
        assertEquals(0, jvmBuild.exit(), jvmBuild.output());
        assertEquals(List.of("-B package -DskipTests"), calls("mvnw"));
        assertEquals(List.of("deploy", "--config-env", "live", "--no-execute-changeset", "--parameter-overrides",
                "Upstream=live", "Runtime=jvm", "Architecture=x86_64", "TokenSecretArn=arn:secret",
                "JwtAudience=\"client one\""), samArguments());

        assertRefused(deploy("--config-env", "live", "--parameter-overrides", "Architecture=amd64"),
                "Architecture=amd64: Architecture is x86_64 or arm64");
    }

    // ------------------------------------------------------------------ bin/deploy: refused before building

    @Test
    void withoutTheSamCliNothingIsBuilt() throws Exception {
        copyProject();
        Files.delete(project.resolve("tools/sam"));
        assertRefused(deploy(), "bin/deploy needs the AWS SAM CLI ('sam' is not on PATH): install it"
                + " (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html),"
                + " then run bin/deploy again.");
        assertEquals(List.of(), calls("mvnw"));
        assertEquals(List.of(), calls("aws"));
    }

    @Test
    void withoutARegionNothingIsBuilt() throws Exception {
        copyProject();
        tool("aws", "case \"$1 $2\" in \"configure get\") exit 1 ;; esac");
        assertRefused(deploy(), NO_REGION);
        assertEquals(List.of("configure get region"), calls("aws"));
        assertEquals(List.of(), calls("mvnw"));
        assertEquals(List.of(), calls("sam"));
    }

    @Test
    void theRegionIsSamsOwn() throws Exception {
        copyProject();
        Run byOption = deploy("--config-env", "sandbox", "--region", "eu-central-1");
        assertEquals(0, byOption.exit(), byOption.output());
        assertEquals(List.of("sts get-caller-identity --region eu-central-1 --output text --query Arn"), calls("aws"));
        assertEquals(List.of("deploy --config-env sandbox --region eu-central-1"), calls("sam"));
        assertTrue(byOption.output().contains("eval \"$(bin/stack-outputs --config-env sandbox --region eu-central-1)\""),
                "says how to read the outputs: " + byOption.output());

        // sam (botocore) reads AWS_DEFAULT_REGION; AWS_REGION, which the SDKs and the README use, is passed on as it.
        Run byVariable = deploy(Map.of("AWS_REGION", "ap-east-1"));
        assertEquals(0, byVariable.exit(), byVariable.output());
        assertEquals(List.of("sts get-caller-identity --region ap-east-1 --output text --query Arn"), calls("aws"));
        assertEquals("ap-east-1", Files.readString(project.resolve("sam.region")).strip());

        // Then the environment's own, then the profile's (the fake aws answers eu-west-1).
        samconfig("""
                [placed.deploy.parameters]
                parameter_overrides = "Upstream=sandbox Runtime=jvm Architecture=arm64"
                region = "cn-northwest-1"
                [profiled.global.parameters]
                profile = "deployer"
                [profiled.deploy.parameters]
                parameter_overrides = "Upstream=sandbox Runtime=jvm Architecture=arm64"
                """);
        assertEquals(0, deploy("--config-env", "placed").exit());
        assertEquals(List.of("sts get-caller-identity --region cn-northwest-1 --output text --query Arn"), calls("aws"));
        assertEquals(0, deploy("--config-env", "profiled").exit());
        assertEquals(List.of("configure get region --profile deployer",
                "sts get-caller-identity --region eu-west-1 --profile deployer --output text --query Arn"), calls("aws"));
        assertEquals(0, deploy("--config-env", "profiled", "--profile", "other").exit());
        assertEquals(List.of("configure get region --profile other",
                "sts get-caller-identity --region eu-west-1 --profile other --output text --query Arn"), calls("aws"));
    }

    @Test
    void withoutCredentialsNothingIsBuilt() throws Exception {
        copyProject();
        tool("aws", STS_ANSWERS.formatted("echo 'Unable to locate credentials. You can configure credentials by running"
                + " \"aws configure\".' >&2; exit 255"));
        assertRefused(deploy(), NO_CREDENTIALS);
        assertEquals(List.of(), calls("mvnw"));
        assertEquals(List.of(), calls("sam"));

        tool("aws", STS_ANSWERS.formatted("echo >&2; echo 'An error occurred (ExpiredToken) when calling the"
                + " GetCallerIdentity operation: The security token included in the request is expired' >&2; exit 254"));
        assertRefused(deploy(), "AWS refused the credentials (aws sts get-caller-identity: An error occurred"
                + " (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the"
                + " request is expired): renew them ('aws sso login', 'aws configure') or choose another profile"
                + " (AWS_PROFILE); then run bin/deploy again.");

        tool("aws", STS_ANSWERS.formatted("echo 'The config profile (gone) could not be found' >&2; exit 255"));
        assertRefused(deploy(Map.of("AWS_PROFILE", "gone")), "AWS profile 'gone' is not configured: create it with"
                + " 'aws configure --profile gone', or choose another (--profile, AWS_PROFILE); then run bin/deploy again.");
        assertEquals(List.of(), calls("mvnw"));
        assertEquals(List.of(), calls("sam"));
    }

    @Test
    void anAwsThatDoesNotAnswerIsGivenUpOn() throws Exception {
        copyProject();
        tool("aws", STS_ANSWERS.formatted("exec sleep 60"));
        long start = System.nanoTime();
        Run run = deploy(Map.of("DEPLOY_CHECK_TIMEOUT", "1"));
        assertRefused(run, "AWS gave no answer to 'aws sts get-caller-identity' within 1s (region eu-west-1): check the"
                + " network and the region, then run bin/deploy again.");
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "gave up after its timeout");
        assertEquals(List.of(), calls("mvnw"));
    }

    /** Without the AWS CLI, boto3 says whether credentials and a region are configured (a stand-in boto3 here). */
    @Test
    void withoutTheAwsCliTheSdkChecksTheConfiguration() throws Exception {
        copyProject();
        Files.delete(project.resolve("tools/aws"));
        Path sdk = project.resolve("sdk");
        Files.createDirectories(sdk.resolve("boto3"));
        Files.createDirectories(sdk.resolve("botocore"));
        Files.writeString(sdk.resolve("botocore/__init__.py"), "");
        Files.writeString(sdk.resolve("botocore/exceptions.py"), "class ProfileNotFound(Exception):\n    pass\n");
        Files.writeString(sdk.resolve("boto3/__init__.py"), """
                import os
                class Session:
                    def __init__(self, profile_name=None, region_name=None):
                        self.region_name = region_name or os.environ.get("AWS_DEFAULT_REGION")
                    def get_credentials(self):
                        return os.environ.get("AWS_ACCESS_KEY_ID")
                """);
        Map<String, String> env = new HashMap<>(Map.of("PYTHONPATH", sdk.toString()));
        assertRefused(deploy(env), NO_REGION);
        env.put("AWS_REGION", "eu-west-1");
        assertRefused(deploy(env), NO_CREDENTIALS);
        env.put("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE");
        Run run = deploy(env);
        assertEquals(0, run.exit(), run.output());
        assertEquals(List.of("deploy --config-env default"), calls("sam"));

        Files.writeString(sdk.resolve("boto3/__init__.py"), "raise ImportError('no boto3 here')\n");
        assertRefused(deploy(env), "bin/deploy checks the AWS credentials and region with the AWS CLI ('aws' is not on"
                + " PATH): install it (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html),"
                + " then run bin/deploy again.");
    }

    @Test
    void aContainerBuildNeedsARunningContainerEngine() throws Exception {
        copyProject();
        samconfig("""
                [native.deploy.parameters]
                parameter_overrides = "Upstream=sandbox Runtime=native Architecture=%s"
                """.formatted(hostArchitecture()));
        String containerBuild = "-B package -DskipTests -Dnative -Dquarkus.native.container-build=true"
                + " -Dquarkus.native.container-runtime=";

        tool("docker", "echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon"
                + " running?' >&2; exit 1");
        assertRefused(deploy("--config-env", "native"), "Runtime=native builds in a Docker or Podman container here (no"
                + " native-image on PATH, no GRAALVM_HOME), but no container engine is running ('docker info': Cannot"
                + " connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?): start"
                + " Docker (or Podman), or install GraalVM/Mandrel, or deploy the JVM build (Runtime=jvm).");
        assertEquals(List.of("info"), calls("docker"));
        assertEquals(List.of(), calls("mvnw"));
        assertEquals(List.of(), calls("aws"), "checked before AWS is asked");

        tool("docker", "exec sleep 60");
        assertRefused(deploy(Map.of("DEPLOY_CHECK_TIMEOUT", "1"), "--config-env", "native"), "Runtime=native builds in a"
                + " Docker or Podman container here (no native-image on PATH, no GRAALVM_HOME), but no container engine"
                + " is running ('docker info' gave no answer within 1s): start Docker (or Podman), or install"
                + " GraalVM/Mandrel, or deploy the JVM build (Runtime=jvm).");

        // Quarkus would take docker, whose CLI is installed; bin/deploy names the engine that answers.
        tool("docker", "exit 1");
        tool("podman", "exit 0");
        Run podman = deploy("--config-env", "native");
        assertEquals(0, podman.exit(), podman.output());
        assertEquals(List.of(containerBuild + "podman"), calls("mvnw"));
        tool("docker", "exit 0");
        assertEquals(0, deploy("--config-env", "native").exit());
        assertEquals(List.of(containerBuild + "docker"), calls("mvnw"));
        tool("docker", "exit 1");
        tool("native-image", "exit 0");
        assertEquals(0, deploy("--config-env", "native").exit());
        assertEquals(List.of("-B package -DskipTests -Dnative"), calls("mvnw"), "GraalVM/Mandrel builds it here");
        assertEquals(List.of(), calls("docker"));

        Files.delete(project.resolve("tools/native-image"));
        Files.delete(project.resolve("tools/docker"));
        Files.delete(project.resolve("tools/podman"));
        assertRefused(deploy("--config-env", "native"), "Runtime=native needs GraalVM/Mandrel (native-image on PATH or"
                + " GRAALVM_HOME) or Docker/Podman for Quarkus's container build; neither is here. Install one, or"
                + " deploy the JVM build (Runtime=jvm).");
    }

    // ------------------------------------------------------------------ bin/stack-outputs

    /** Every output of template.yaml becomes a variable, among them every one the docs' commands use. */
    @Test
    void theStackOutputsBecomeTheVariablesTheDocsUse() throws Exception {
        copyProject();
        Map<String, Object> outputs = new Template(CloudFormationYaml.load(ProjectRoot.PATH.resolve("template.yaml")))
                .outputs();
        StringBuilder json = new StringBuilder("{\"StackId\": \"arn:aws:cloudformation:eu-west-1:000000000000:stack/"
                + "phonematch-verify/1\", \"Outputs\": [");
        for (String key : outputs.keySet()) {
            json.append(json.charAt(json.length() - 1) == '[' ? "" : ", ").append("{\"OutputKey\": \"").append(key)
                    .append("\", \"OutputValue\": \"").append(key).append(" value's\"}");
        }
        Files.writeString(project.resolve("stack.json"), json.append("]}").toString());

        Run printed = stackOutputs();
        assertEquals(0, printed.exit(), printed.output());
        assertEquals(List.of("cloudformation describe-stacks --stack-name phonematch-verify --output json --query"
                + " Stacks[0].{StackId: StackId, Outputs: Outputs}"), calls("aws"));
        List<String> exports = printed.stdout().lines().filter(l -> l.startsWith("export ")).toList();
        assertEquals(outputs.size() + 1, exports.size(), printed.stdout());

        Set<String> used = new TreeSet<>();
        List<Path> docs = new ArrayList<>(List.of(ProjectRoot.PATH.resolve("README.md")));
        try (var files = Files.list(ProjectRoot.PATH.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).forEach(docs::add);
        }
        for (Path doc : docs) {
            Matcher m = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*_(?:ARN|URL|BUCKET|TABLE))\\b").matcher(Files.readString(doc));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertTrue(used.contains("API_URL"), "the docs' variables are found: " + used);
        used.add("AWS_REGION");
        StringBuilder script = new StringBuilder("eval \"$(bin/stack-outputs)\"\n");
        used.forEach(v -> script.append("printf '%s=%s\\n' ").append(v).append(" \"${").append(v).append("-unset}\"\n"));
        Run evaluated = run(project, environment(Map.of()), "bash", "-c", script.toString());
        assertEquals(0, evaluated.exit(), evaluated.output());
        Map<String, String> names = Map.of("API_URL", "ApiUrl", "FUNCTION_ALIAS_ARN", "FunctionAliasArn",
                "VERIFY_ONE_ARN", "VerifyOneStateMachineArn", "VERIFY_BATCH_ARN", "VerifyBatchStateMachineArn",
                "BATCH_INPUT_BUCKET", "BatchInputBucketName", "BATCH_RESULTS_BUCKET", "BatchResultsBucketName");
        for (String line : evaluated.stdout().lines().toList()) {
            String name = line.substring(0, line.indexOf('='));
            String value = line.substring(line.indexOf('=') + 1);
            if (name.equals("AWS_REGION")) {
                assertEquals("eu-west-1", value, "the stack's region");
            } else {
                assertTrue(value.endsWith(" value's") && outputs.containsKey(value.substring(0, value.indexOf(' '))),
                        name + " is set from an output of the stack: " + line);
                if (names.containsKey(name)) {
                    assertEquals(names.get(name) + " value's", value, name);
                }
            }
        }
    }

    @Test
    void withoutTheStackNothingIsPrinted() throws Exception {
        copyProject();
        Run run = stackOutputs("--config-env", "sandbox", "--region", "eu-west-2");
        assertEquals(1, run.exit(), run.output());
        assertEquals("", run.stdout(), "eval sets nothing");
        assertEquals("There is no stack phonematch-verify-sandbox in eu-west-2 (An error occurred (ValidationError) when"
                + " calling the DescribeStacks operation: Stack with id phonematch-verify-sandbox does not exist):"
                + " deploy it with bin/deploy --config-env sandbox, or name the region (--region).", run.errors().strip());
        assertEquals(List.of("cloudformation describe-stacks --stack-name phonematch-verify-sandbox --output json"
                + " --query Stacks[0].{StackId: StackId, Outputs: Outputs} --region eu-west-2"), calls("aws"));
    }

    // ------------------------------------------------------------------ helpers

    static final String NO_REGION = "No AWS region to deploy to: give one with 'aws configure' (the profile's region),"
            + " export AWS_REGION, or pass --region <region> (or set region in [default.deploy.parameters]); then run"
            + " bin/deploy again.";
    static final String NO_CREDENTIALS = "No AWS credentials: run 'aws configure' (or 'aws configure sso'), set"
            + " AWS_PROFILE to a configured profile, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; then run"
            + " bin/deploy again.";
    /** A stand-in aws whose configured region is eu-west-1 and whose sts get-caller-identity runs %s. */
    static final String STS_ANSWERS = """
            case "$1 $2" in
              "configure get") echo eu-west-1 ;;
              "sts get-caller-identity") %s ;;
            esac""";

    /** The commands the scripts run besides the stand-ins; nothing else of this machine is on their PATH. */
    static final List<String> SYSTEM_COMMANDS = List.of("bash", "cat", "cp", "dirname", "grep", "head", "mkdir", "od",
            "sleep", "tr", "uname", "unzip");
    static Path system;

    record Run(int exit, String stdout, String errors) {
        String output() {
            return stdout + errors;
        }
    }

    static Run check(String runtime, String architecture, Path zip) throws Exception {
        return run(ProjectRoot.PATH.toAbsolutePath(), Map.of(), ProjectRoot.PATH.resolve("bin/check-function-zip")
                .toAbsolutePath().toString(), runtime, architecture, zip.toString());
    }

    /** Refused before anything was built or deployed, with this one line on stderr. */
    void assertRefused(Run run, String line) throws IOException {
        assertEquals(1, run.exit(), run.output());
        assertEquals(line, run.errors().strip(), run.output());
        assertFalse(run.errors().strip().contains("\n"), "one line: " + run.errors());
        assertEquals(List.of(), calls("sam"), "nothing is deployed");
    }

    Run deploy(String... args) throws Exception {
        return deploy(Map.of(), args);
    }

    /** bin/deploy in a copy of the project whose ./mvnw and PATH's sam, aws (and docker, ...) are stand-ins. */
    Run deploy(Map<String, String> environment, String... args) throws Exception {
        forgetCalls();
        List<String> command = new ArrayList<>(List.of(project.resolve("bin/deploy").toString()));
        command.addAll(List.of(args));
        return run(project, environment(environment), command.toArray(String[]::new));
    }

    /**
     * The scripts' environment: PATH holds the stand-ins and {@link #SYSTEM_COMMANDS} only (no sam, aws, docker or
     * native-image of this machine), no AWS setting of the machine's user, a HOME without ~/.aws.
     */
    Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("QUARKUS_") || k.startsWith("PYTHON")
                || k.equals("GRAALVM_HOME") || k.equals("DEPLOY_CHECK_TIMEOUT"));
        env.put("PATH", project.resolve("tools") + ":" + system);
        env.put("HOME", project.resolve("home").toString());
        env.putAll(extra);
        return env;
    }

    void copyProject() throws IOException {
        Path bin = Files.createDirectories(project.resolve("bin"));
        for (String script : List.of("deploy", "check-function-zip", "stack-outputs")) {
            Files.copy(ProjectRoot.PATH.resolve("bin").resolve(script), bin.resolve(script));
            executable(bin.resolve(script));
        }
        Files.copy(ProjectRoot.PATH.resolve("samconfig.toml"), project.resolve("samconfig.toml"));
        Files.createDirectories(project.resolve("home"));
        // sam: writes down its arguments (and each on a line of its own, and the region it is given).
        tool("sam", "printf '%s\\n' \"$@\" > \"" + project.resolve("sam.argv") + "\"\n"
                + "echo \"${AWS_DEFAULT_REGION:-}\" > \"" + project.resolve("sam.region") + "\"");
        // aws: its configured region is eu-west-1, it has credentials, and it describes the stack in stack.json.
        tool("aws", STS_ANSWERS.formatted("echo arn:aws:iam::000000000000:user/deployer").replace("esac", """
                  "cloudformation describe-stacks")
                    if [ -f stack.json ]; then cat stack.json; exit 0; fi
                    echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id $4 does not exist" >&2
                    exit 255 ;;
                esac"""));
        // ./mvnw: writes down its arguments and leaves the zip package leaves, native (for this machine) or JVM.
        Files.writeString(project.resolve("mvnw"), "#!/bin/sh\necho \"$*\" >> \"" + project.resolve("mvnw.calls")
                + "\"\nmkdir -p function/target\ncase \"$*\" in\n  *-Dnative*) cp \""
                + forThisMachine(nativeArm, nativeX86) + "\" function/target/function.zip ;;\n"
                + "  *-Djvm-aot*) cp \"" + jvm + "\" function/target/function.zip; cp \""
                + forThisMachine(jvmAotArm, jvmAotX86) + "\" function/target/function-jvm-aot.zip ;;\n"
                + "  *) cp \"" + jvm + "\" function/target/function.zip ;;\nesac\n");
        executable(project.resolve("mvnw"));
    }

    /** A stand-in command on the scripts' PATH that writes down its arguments, then runs {@code body}. */
    void tool(String name, String body) throws IOException {
        Path tool = Files.createDirectories(project.resolve("tools")).resolve(name);
        Files.writeString(tool, "#!/bin/sh\necho \"$*\" >> \"" + project.resolve(name + ".calls") + "\"\n" + body + "\n");
        executable(tool);
    }

    void samconfig(String environments) throws IOException {
        Files.writeString(project.resolve("samconfig.toml"), "version = 0.1\n" + environments);
    }

    /** Each run's calls are its own. */
    void forgetCalls() throws IOException {
        try (var files = Files.list(project)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".calls") || name.startsWith("sam.")) {
                    Files.delete(f);
                }
            }
        }
    }

    /** bin/stack-outputs in the copy of the project, with the stand-in aws. */
    Run stackOutputs(String... args) throws Exception {
        forgetCalls();
        List<String> command = new ArrayList<>(List.of(project.resolve("bin/stack-outputs").toString()));
        command.addAll(List.of(args));
        return run(project, environment(Map.of()), command.toArray(String[]::new));
    }

    List<String> calls(String tool) throws IOException {
        Path file = project.resolve(tool + ".calls");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    List<String> samArguments() throws IOException {
        return Files.readAllLines(project.resolve("sam.argv"));
    }

    @BeforeAll
    static void linkSystemCommands() throws Exception {
        system = Files.createDirectories(zips.resolve("system"));
        for (String name : SYSTEM_COMMANDS) {
            Path found = Stream.of(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, name))
                    .filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " is not on PATH"));
            Files.createSymbolicLink(system.resolve(name), found);
        }
        // python3 itself, not a version manager's shim that would put its own directories first on PATH.
        Run python = run(zips, Map.of(), "python3", "-c", "import os, sys; print(os.path.realpath(sys.executable))");
        assertEquals(0, python.exit(), python.output());
        Files.createSymbolicLink(system.resolve("python3"), Path.of(python.stdout().strip()));
    }

    static String hostArchitecture() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x86_64";
    }

    /** The architecture this machine cannot build a native or jvm-aot zip for. */
    static String otherArchitecture() {
        return hostArchitecture().equals("arm64") ? "x86_64" : "arm64";
    }

    /** Of two zips, the one built for this machine's architecture. */
    static Path forThisMachine(Path arm64, Path x86) {
        return hostArchitecture().equals("arm64") ? arm64 : x86;
    }

    static Run run(Path directory, Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        Path out = Files.createTempFile(zips, "stdout", ".txt");
        Path err = Files.createTempFile(zips, "stderr", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(environment.isEmpty() ? System.getenv() : environment);
        Process process = builder.start();
        process.getOutputStream().close();
        int exit = process.waitFor();
        return new Run(exit, Files.readString(out), Files.readString(err));
    }

    /** The first 20 bytes of a 64-bit little-endian ELF executable for this machine type (e_machine at 18). */
    static byte[] elf(int machine) {
        byte[] header = new byte[64];
        header[0] = 0x7f;
        header[1] = 'E';
        header[2] = 'L';
        header[3] = 'F';
        header[4] = 2;
        header[5] = 1;
        header[6] = 1;
        header[16] = 2;
        header[18] = (byte) (machine & 0xff);
        header[19] = (byte) (machine >> 8);
        return header;
    }

    /** A JDK whose java says it is of this Java version (all bin/deploy asks of it). */
    Path fakeJdk(String name, String version) throws IOException {
        Path java = Files.createDirectories(project.resolve(name).resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'Property settings:' >&2\necho '    java.specification.version = "
                + version + "' >&2\n");
        executable(java);
        return project.resolve(name);
    }

    /** The shape of a jvm-aot zip: a bootstrap script, the runtime image's java for this machine type, the cache. */
    static Path jvmAot(String name, int machine, String javaPermissions) throws Exception {
        Path dir = Files.createTempDirectory(zips, name);
        Files.writeString(dir.resolve("bootstrap"), "#!/bin/sh\nexec \"$LAMBDA_TASK_ROOT/java/bin/java\" -version\n");
        executable(dir.resolve("bootstrap"));
        Path java = Files.createDirectories(dir.resolve("java/bin")).resolve("java");
        Files.write(java, elf(machine));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString(javaPermissions));
        Files.write(dir.resolve("app.aot"), new byte[] {1, 2, 3});
        Path zip = zips.resolve(name);
        Run made = run(dir, Map.of(), "zip", "-q", "-X", "-r", zip.toString(), "bootstrap", "java", "app.aot");
        assertEquals(0, made.exit(), made.output());
        return zip;
    }

    /** A zip with one entry, whose Unix permissions are recorded as Lambda reads them (Info-ZIP's zip). */
    static Path zip(String name, String entry, byte[] content, String permissions) throws Exception {
        Path dir = Files.createTempDirectory(zips, name);
        Path file = dir.resolve(entry);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        Path zip = zips.resolve(name);
        Run made = run(dir, Map.of(), "zip", "-q", "-X", zip.toString(), entry);
        assertEquals(0, made.exit(), made.output());
        return zip;
    }

    static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
