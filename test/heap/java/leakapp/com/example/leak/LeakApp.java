package com.example.leak;

// A heap with known answers for capscope's heap view (test/heap/leak-app.test.ts):
//  - SessionCache.CACHE (a static HashMap) holds SESSIONS Sessions, each with a 4,096-byte payload;
//  - the thread "worker-0" waits in work() holding a Request in a local (the line marked below);
//  - the thread "oom-catcher" caught an OutOfMemoryError and holds it in a local while it waits;
//  - the thread "oom-keeper" caught one and keeps it in a ThreadLocal (reached through its Thread).
// Prints "ready" once all of it is built, then waits to be dumped.

import java.util.concurrent.CountDownLatch;

public final class LeakApp {
    static final int SESSIONS = 300;
    static final CountDownLatch STARTED = new CountDownLatch(3);
    static final ThreadLocal<Object> KEPT = new ThreadLocal<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < SESSIONS; i++) {
            String id = "session-" + i;
            SessionCache.CACHE.put(id, new Session(id));
        }
        Thread worker = new Thread(LeakApp::work, "worker-0");
        worker.setDaemon(true);
        worker.start();
        Thread catcher = new Thread(LeakApp::catchOom, "oom-catcher");
        catcher.setDaemon(true);
        catcher.start();
        Thread keeper = new Thread(LeakApp::keepOom, "oom-keeper");
        keeper.setDaemon(true);
        keeper.start();
        STARTED.await();
        Thread.sleep(300);
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static void catchOom() {
        OutOfMemoryError caught = null;
        try {
            long[] huge = new long[Integer.MAX_VALUE]; // more than any VM gives: OutOfMemoryError
            System.out.println(huge.length);
        } catch (OutOfMemoryError e) {
            caught = e;
        }
        STARTED.countDown();
        sleep(); // oom-catcher waits here
        System.out.println(caught);
    }

    static void keepOom() {
        // Caught in a method that has returned: no frame of this thread holds the error, its ThreadLocal does.
        KEPT.set(caughtOom());
        STARTED.countDown();
        sleep(); // oom-keeper waits here
    }

    static OutOfMemoryError caughtOom() {
        try {
            long[] huge = new long[Integer.MAX_VALUE];
            System.out.println(huge.length);
            return null;
        } catch (OutOfMemoryError e) {
            return e;
        }
    }

    static void work() {
        Request request = new Request();
        STARTED.countDown();
        sleep(); // worker-0 waits here
        System.out.println(request.body.length);
    }

    static void sleep() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
