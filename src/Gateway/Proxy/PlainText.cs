namespace Knative.Orleans.Gateway.Proxy;

/// <summary>Writes the gateway's own short answers (404 no route, 503, 504 …) as <c>text/plain</c> without a newline.</summary>
public static class PlainText
{
    /// <summary>Sets <paramref name="statusCode"/> and writes <paramref name="body"/>.</summary>
    public static Task WriteAsync(HttpContext context, int statusCode, string body)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(body);
    }
}
