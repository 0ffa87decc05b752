// Runs out of heap into a static list, for -XX:+HeapDumpOnOutOfMemoryError.

import java.util.ArrayList;
import java.util.List;

public class Oom {
    static final List<long[]> HOARD = new ArrayList<>();

    public static void main(String[] args) {
        while (true) HOARD.add(new long[1024]);
    }
}
