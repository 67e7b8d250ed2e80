package cloud.phonematch.verify.architecture.cycle.b;

import cloud.phonematch.verify.architecture.cycle.a.Left;

/** The other half of the cycle {@link Left} starts. */
public final class Right {
    private Right() {
    }

    public static int back() {
        return 1;
    }

    static int toLeft() {
        return Left.across();
    }
}
