using System.Net;
using System.Text.Json;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>
/// Runs one API call with retries: 429, 500, 502, 503, 504 and connection errors are retried with exponential backoff
/// (<see cref="KubernetesDriverOptions.RetryBaseDelay"/> doubling up to <see cref="KubernetesDriverOptions.RetryMaxDelay"/>,
/// at most <see cref="KubernetesDriverOptions.MaxAttempts"/> attempts); any other status fails at once. Failures are
/// thrown as <see cref="KubernetesApiException"/> carrying the API server's own message.
/// </summary>
internal sealed partial class KubernetesApi(KubernetesDriverOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>Calls <paramref name="call"/> until it succeeds, fails for good, or runs out of attempts.</summary>
    public async Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpStatusCode? code;
            string detail;
            Exception error;
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e)
            {
                code = e.Response?.StatusCode;
                detail = MessageOf(e.Response?.Content) ?? e.Message;
                error = e;
                if (code is not (HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
                    or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
                {
                    throw new KubernetesApiException(operation, code, detail, attempt, e);
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException
                || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                code = null;
                detail = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
                error = e;
            }

            if (attempt >= options.MaxAttempts)
            {
                Log.ApiGaveUp(logger, operation, attempt, detail);
                throw new KubernetesApiException(operation, code, detail, attempt, error);
            }

            var delay = Backoff(attempt);
            Log.ApiRetry(logger, operation, (int?)code, attempt, delay.TotalMilliseconds, detail);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Like <see cref="CallAsync{T}"/> for calls whose 404 means "not there" (null).</summary>
    public async Task<T?> CallOrNotFoundAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await CallAsync(operation, call, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Delay before attempt <paramref name="attempt"/> + 1: base × 2^(attempt-1), capped.</summary>
    public TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(options.RetryMaxDelay.TotalMilliseconds,
            options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30))));

    /// <summary>The <c>message</c> of a Kubernetes <c>Status</c> body, else the start of the body.</summary>
    internal static string? MessageOf(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m)
                && m.ValueKind == JsonValueKind.String)
            {
                return m.GetString();
            }
        }
        catch (JsonException)
        {
            // not a Status: fall through to the raw text
        }

        return body.Length > 300 ? body[..300] : body;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1250, Level = LogLevel.Warning,
            Message = "Kubernetes API: {Operation} failed (status {StatusCode}, attempt {Attempt}), retrying in {DelayMs} ms: {Detail}")]
        public static partial void ApiRetry(ILogger logger, string operation, int? statusCode, int attempt, double delayMs, string detail);

        [LoggerMessage(EventId = 1251, Level = LogLevel.Error, Message = "Kubernetes API: {Operation} failed after {Attempts} attempts: {Detail}")]
        public static partial void ApiGaveUp(ILogger logger, string operation, int attempts, string detail);
    }
}
