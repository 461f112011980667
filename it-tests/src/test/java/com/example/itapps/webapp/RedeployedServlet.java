package com.example.itapps.webapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The servlet of the web application that RedeployApp deploys again and again. Each deployment loads
 * its own copy of this class, from the application's WEB-INF/classes, in a class loader of its own.
 * A request takes a lock and answers with the loader's identity, so each copy passes the agent's
 * probes (the request unit, a lock acquisition) before it is undeployed.
 */
public class RedeployedServlet extends HttpServlet {

    private static final ReentrantLock LOCK = new ReentrantLock();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        LOCK.lock();
        try {
            response.setContentType("text/plain");
            response.getWriter().print("served by " + System.identityHashCode(getClass().getClassLoader()));
        } finally {
            LOCK.unlock();
        }
    }
}
