import NIOCore
import NIOHTTPTypes

/// Per connection: a request must arrive whole (head, then body) within the header timeout of
/// the connection opening; a kept-alive connection must start its next request within the idle
/// timeout of the last answer; otherwise the connection is closed. Registers the connection with
/// the ``ConnectionRegistry`` that enforces the connection cap.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let headerTimeout: TimeAmount
    let idleTimeout: TimeAmount
    let registry: ConnectionRegistry
    private var timer: Scheduled<Void>?
    private var registered = false
    /// Requests whose head has arrived and whose answer has not ended.
    private var open = 0
    /// A request whose head has arrived and whose end has not.
    private var reading = false

    init(headerTimeout: TimeAmount, idleTimeout: TimeAmount, registry: ConnectionRegistry) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.registry = registry
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !registered else { return }
        registered = true
        registry.opened(context.channel)
        arm(context, headerTimeout)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop(context)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { stop(context) }

    private func stop(_ context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if registered {
            registry.closed(context.channel)
            registered = false
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            open += 1
            reading = true
            registry.setBusy(context.channel, true)
            arm(context, headerTimeout)  // the body, if any, within the same time
        case .body: break
        case .end:
            reading = false
            timer?.cancel()
            timer = nil  // the answer's time is the server's
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            open = max(0, open - 1)
            if open == 0 && !reading {
                registry.setBusy(context.channel, false)
                arm(context, idleTimeout)
            }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext, _ after: TimeAmount) {
        timer?.cancel()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: after) { channel.close(promise: nil) }
    }
}
