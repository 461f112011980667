package io.jvmwatchdog.it.apps;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.Executors;

/**
 * A class the agent cannot instrument, then a stuck task: one failure must stay local. The class,
 * {@code gen.Huge}, is made here byte by byte: its one method, {@code run()}, is 65,535 bytes of
 * bytecode (the most a method may have), so any advice woven into it makes it too large. The test
 * names it with {@code entry=gen.Huge#run}. Then a pool task spins, to be reported as usual.
 */
public final class UninstrumentableApp {

    private UninstrumentableApp() {
    }

    public static void main(String[] args) throws Exception {
        byte[] bytes = hugeClass();
        Class<?> huge = new ClassLoader(UninstrumentableApp.class.getClassLoader()) {
            Class<?> define() {
                return defineClass("gen.Huge", bytes, 0, bytes.length);
            }
        }.define();
        huge.getMethod("run").invoke(null);
        System.out.println("app: gen.Huge ran");
        Executors.newSingleThreadExecutor().execute(SpinningApp::spinForever);
        System.out.println("app: ready");
        Thread.sleep(Long.MAX_VALUE);
    }

    /** {@code public class gen.Huge { public static void run() { nop * 65,534; return; } }}, class file 52. */
    static byte[] hugeClass() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeInt(0xCAFEBABE);
        out.writeShort(0);
        out.writeShort(52);
        String[] utf8 = {"gen/Huge", "java/lang/Object", "run", "()V", "Code"};
        out.writeShort(8); // constant pool count: 7 entries, from 1
        out.writeByte(1);
        out.writeUTF(utf8[0]);  // #1
        out.writeByte(7);
        out.writeShort(1);      // #2 class gen/Huge
        out.writeByte(1);
        out.writeUTF(utf8[1]);  // #3
        out.writeByte(7);
        out.writeShort(3);      // #4 class java/lang/Object
        out.writeByte(1);
        out.writeUTF(utf8[2]);  // #5
        out.writeByte(1);
        out.writeUTF(utf8[3]);  // #6
        out.writeByte(1);
        out.writeUTF(utf8[4]);  // #7
        out.writeShort(0x21);   // public super
        out.writeShort(2);
        out.writeShort(4);
        out.writeShort(0);      // interfaces
        out.writeShort(0);      // fields
        out.writeShort(1);      // methods
        out.writeShort(0x09);   // public static
        out.writeShort(5);
        out.writeShort(6);
        out.writeShort(1);      // one attribute: Code
        int codeLength = 65_535;
        out.writeShort(7);
        out.writeInt(2 + 2 + 4 + codeLength + 2 + 2);
        out.writeShort(0);      // max stack
        out.writeShort(0);      // max locals
        out.writeInt(codeLength);
        out.write(new byte[codeLength - 1]); // nop (0x00) ...
        out.writeByte(0xB1);    // return
        out.writeShort(0);      // exception table
        out.writeShort(0);      // code attributes
        out.writeShort(0);      // class attributes
        out.flush();
        return buffer.toByteArray();
    }
}
