public class Hello {
    public static void main(String[] args) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        pool.submit(() -> System.out.println("hello from a pool")).get();
        pool.shutdown();
    }
}
