package io.jvmwatchdog.bench.apps.spring;

import java.time.Instant;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring Boot case of bench/startup.sh: spring-boot-starter-web (embedded Tomcat) and one
 * controller. Once the application is ready (after Spring's "Started WebApp in ..." line) it prints
 * {@code BENCH-READY <wall clock in microseconds since the epoch>} on stdout, which the script
 * subtracts from its clock read before the launch, and then ends itself, so that runs can be scripted.
 * With {@code --bench.stay=MILLIS} it stays up that long first (to let an agent finish background work).
 */
@SpringBootApplication
@RestController
public class WebApp {

    @GetMapping("/hello")
    public String hello() {
        return "hello";
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(WebApp.class);
        app.addListeners((ApplicationListener<ApplicationReadyEvent>) event -> {
            Instant now = Instant.now();
            System.out.println("BENCH-READY " + (now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000));
            System.out.flush();
            long stay = event.getApplicationContext().getEnvironment().getProperty("bench.stay", Long.class, 0L);
            if (stay > 0) {
                try {
                    Thread.sleep(stay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        // run returns once the context is refreshed and the ready event has been delivered; close it
        // the ordinary way (Tomcat stops) and leave with its exit code.
        System.exit(SpringApplication.exit(app.run(args)));
    }
}
