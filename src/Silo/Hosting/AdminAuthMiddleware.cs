using System.Security.Cryptography;
using System.Text;
using Knative.Orleans.Silo.Api;

namespace Knative.Orleans.Silo.Hosting;

/// <summary>Requires <c>Authorization: Bearer &lt;Admin:Token&gt;</c> on every admin request except <c>/healthz</c> and <c>/readyz</c>.</summary>
public sealed class AdminAuthMiddleware(RequestDelegate next, AdminTokenHolder token)
{
    /// <summary>Checks the token (constant-time) and answers 401 with a Kubernetes Status when it is missing or wrong.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Equals("/healthz", StringComparison.Ordinal) || path.Equals("/readyz", StringComparison.Ordinal))
        {
            return next(context);
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var given = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : "";
        if (given.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), token.Bytes))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return AdminResults.Failure(StatusCodes.Status401Unauthorized, "Unauthorized",
            given.Length == 0 ? "Unauthorized: missing bearer token (Authorization: Bearer <Admin:Token>)" : "Unauthorized: wrong bearer token")
            .ExecuteAsync(context);
    }
}

/// <summary>The resolved admin token.</summary>
public sealed class AdminTokenHolder(string token)
{
    /// <summary>UTF-8 bytes of the token.</summary>
    public byte[] Bytes { get; } = Encoding.UTF8.GetBytes(token);
}
