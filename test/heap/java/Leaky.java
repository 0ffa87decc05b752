// A heap whose sizes the tests compute by hand (HotSpot, compressed oops and class pointers:
// 12-byte header, 4-byte references, 8-byte alignment). It prints "ready" once built and then
// waits to be dumped; garbage made last stays in the young generation for `jmap -dump` (all).

import java.util.ArrayList;
import java.util.List;

public class Leaky {
    /** 12 + 4 (items) = 16 bytes. */
    static final class Holder {
        final List<byte[]> items = new ArrayList<>(1000);
    }

    /** 12 + 8 (v) + 4 (next, in the hole after the header) = 24 bytes. */
    static final class Node {
        long v;
        Node next;
    }

    static final Holder HOLDER = new Holder();
    static Node chain;
    static String[] duplicates;
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 1000; i++) HOLDER.items.add(new byte[1000]);
        Node head = null;
        for (int i = 0; i < 100_000; i++) {
            Node n = new Node();
            n.v = i;
            n.next = head;
            head = n;
        }
        chain = head;
        // Dead from here on, but a frame compiled on stack replacement may still report it as a
        // root: cleared so that only the static field holds the chain, whatever the JIT did.
        head = null;
        char[] text = {'d', 'u', 'p', 'l', 'i', 'c', 'a', 't', 'e'};
        duplicates = new String[500];
        for (int i = 0; i < duplicates.length; i++) duplicates[i] = new String(text);
        Thread worker = new Thread(Leaky::hold, "leak-worker");
        worker.setDaemon(true);
        worker.start();
        Thread.sleep(200);
        for (int i = 0; i < 5000; i++) sink = new int[25]; // garbage: 16 + 100 = 116 → 120 bytes each
        sink = null;
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static void hold() {
        byte[] buffer = new byte[100_000];
        buffer[0] = 1;
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            return;
        }
        System.out.println(buffer[0]);
    }
}
