package com.example.leak;

import java.util.HashMap;
import java.util.Map;

/** The leak: sessions are put in and never taken out. */
public final class SessionCache {
    static final Map<String, Session> CACHE = new HashMap<>();

    private SessionCache() {}
}
