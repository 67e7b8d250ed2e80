package cloud.phonematch.verify.architecture.cycle.a;

import cloud.phonematch.verify.architecture.cycle.b.Right;

/** Half of a package cycle, on purpose: {@code PackageArrowsTest} proves its rule finds one. */
public final class Left {
    private Left() {
    }

    public static int across() {
        return Right.back() + 1;
    }
}
