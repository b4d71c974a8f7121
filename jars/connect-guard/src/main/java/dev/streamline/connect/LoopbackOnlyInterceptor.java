package dev.streamline.connect;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.sparkproject.connect.grpc.Grpc;
import org.sparkproject.connect.grpc.Metadata;
import org.sparkproject.connect.grpc.ServerCall;
import org.sparkproject.connect.grpc.ServerCallHandler;
import org.sparkproject.connect.grpc.ServerInterceptor;
import org.sparkproject.connect.grpc.Status;

/**
 * Refuses every Spark Connect call that does not come from the loopback interface.
 *
 * <p>The Spark 3.5 Connect server has no authentication and cannot be bound to one address (it only
 * takes a port, and listens on all interfaces), so on a developer's machine anyone on the network could
 * run code in it. The local stack installs this interceptor with
 * {@code spark.connect.grpc.interceptor.classes}; grpc is used through the package that the
 * spark-connect jar shades it into.
 */
public final class LoopbackOnlyInterceptor implements ServerInterceptor {
  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (remote instanceof InetSocketAddress
        && ((InetSocketAddress) remote).getAddress() != null
        && ((InetSocketAddress) remote).getAddress().isLoopbackAddress()) {
      return next.startCall(call, headers);
    }
    call.close(
        Status.PERMISSION_DENIED.withDescription(
            "this Spark Connect server only accepts connections from the local machine (streamline local stack)"),
        new Metadata());
    return new ServerCall.Listener<ReqT>() {};
  }
}
