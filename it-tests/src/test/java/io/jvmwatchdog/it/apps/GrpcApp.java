package io.jvmwatchdog.it.apps;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A gRPC-java server as its users run one, on {@code grpc-netty-shaded} (the transport
 * {@code Grpc.newServerBuilderForPort} finds, with its Netty relocated to
 * {@code io.grpc.netty.shaded.io.netty}): one unary method, {@code watched.Tasks/Run}, whose request is
 * the name of a {@link PoolTasks} task, run by the handler. A client in the same program calls it
 * over loopback for each task, without waiting for the answer. Plain strings on the wire: a
 * hand-written {@code MethodDescriptor}, no protobuf.
 *
 * <p>With no argument the server runs its calls on its default executor (gRPC's shared cached
 * pool); with {@code --direct-executor}, on the transport's threads, the Netty event loop itself
 * ({@code ServerBuilder.directExecutor()}, as services tuned for latency do).
 */
public final class GrpcApp {

    static final String SERVICE = "watched.Tasks";

    private GrpcApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app: started");
        MethodDescriptor<String, String> run = MethodDescriptor.<String, String>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Run"))
                .setRequestMarshaller(new Utf8())
                .setResponseMarshaller(new Utf8())
                .build();
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(run, ServerCalls.asyncUnaryCall((String task, io.grpc.stub.StreamObserver<String> response) -> {
                    PoolTasks.run(task);
                    response.onNext("done");
                    response.onCompleted();
                }))
                .build();
        ServerBuilder<?> builder = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(service);
        if (args.length > 0 && args[0].equals("--direct-executor")) {
            builder.directExecutor();
        }
        Server server = builder.build().start();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(),
                InsecureChannelCredentials.create()).build();
        PoolTasks.serve(task -> ClientCalls.futureUnaryCall(channel.newCall(run, CallOptions.DEFAULT), task));
    }

    /** A message is a UTF-8 string. */
    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
