import Foundation
import Hummingbird

/// CORS on every answer (and OPTIONS preflights), and every error as a JSON body.
struct HTTPFinishing<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if request.method == .options {
            return Response(
                status: .noContent,
                headers: [
                    .accessControlAllowOrigin: "*", .accessControlAllowMethods: "GET, HEAD, OPTIONS",
                    .accessControlAllowHeaders: "Accept, Accept-Encoding, If-None-Match, Content-Type",
                    .accessControlMaxAge: "86400",
                ])
        }
        guard request.method == .get || request.method == .head else {
            var r = FeatureServer.finish(
                request,
                Reply(error: APIError(405, "MethodNotAllowed", "\(request.method.rawValue) is not allowed; use GET")))
            r.headers[.allow] = "GET, HEAD, OPTIONS"
            r.headers[.accessControlAllowOrigin] = "*"
            r.headers[.xContentTypeOptions] = "nosniff"
            return r
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let e as APIError {
            var reply = Reply(error: e)
            if e.status == 503 { reply.headers = [("Retry-After", "1")] }
            response = FeatureServer.finish(request, reply)
        } catch let e as HTTPResponseError {
            let code = e.status.code
            let error = APIError(
                code, code == 404 ? "NotFound" : "HTTPError",
                code == 404 ? "no resource at \(APIError.echo(request.uri.path))" : "\(e.status.reasonPhrase)")
            response = FeatureServer.finish(request, Reply(error: error))
        } catch {
            // Never the error's text: it may name files on this machine.
            response = FeatureServer.finish(
                request, Reply(error: APIError(500, "ServerError", "the request could not be answered")))
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlExposeHeaders] = "ETag, Content-Encoding"
        // HEAD: the GET answer's status and headers, without its body.
        if request.method == .head { return Response(status: response.status, headers: response.headers) }
        return response
    }
}
