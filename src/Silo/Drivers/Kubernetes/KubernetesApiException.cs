using System.Net;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>An API call that failed for good: a status that is not retried, or the last of its attempts.</summary>
public sealed class KubernetesApiException(string operation, HttpStatusCode? statusCode, string detail, int attempts, Exception? inner)
    : Exception(Format(operation, statusCode, detail, attempts), inner)
{
    /// <summary>What was attempted, e.g. <c>create deployment default-hello-00001-deployment</c>.</summary>
    public string Operation { get; } = operation;

    /// <summary>The HTTP status of the last answer; null when there was none (connection error).</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>Attempts made.</summary>
    public int Attempts { get; } = attempts;

    private static string Format(string operation, HttpStatusCode? code, string detail, int attempts) =>
        $"Kubernetes API: {operation} failed" + (code is { } c ? $" with {(int)c} {c}" : "") + $" after {attempts} attempt(s): {detail}";
}
