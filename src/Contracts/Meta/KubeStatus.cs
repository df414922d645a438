namespace Knative.Orleans.Contracts.Meta;

/// <summary>
/// A Kubernetes <c>Status</c> object (<c>kind: Status</c>), the body of every error answer of the admin API.
/// </summary>
public sealed record KubeStatus
{
    /// <summary>Always <c>v1</c>.</summary>
    public string ApiVersion { get; init; } = "v1";

    /// <summary>Always <c>Status</c>.</summary>
    public string Kind { get; init; } = "Status";

    /// <summary>Empty list metadata, as the API server sends it.</summary>
    public Dictionary<string, string> Metadata { get; init; } = new();

    /// <summary><c>Success</c> or <c>Failure</c>.</summary>
    public string Status { get; init; } = "Failure";

    /// <summary>Human-readable description.</summary>
    public string? Message { get; init; }

    /// <summary>CamelCase machine-readable reason (<c>BadRequest</c>, <c>NotFound</c>, <c>AlreadyExists</c>, ...).</summary>
    public string? Reason { get; init; }

    /// <summary>Details about the object concerned, when there is one.</summary>
    public KubeStatusDetails? Details { get; init; }

    /// <summary>The HTTP status code.</summary>
    public int Code { get; init; }

    /// <summary>Builds a failure status.</summary>
    public static KubeStatus Failure(int code, string reason, string message, KubeStatusDetails? details = null) =>
        new() { Code = code, Reason = reason, Message = message, Details = details };
}

/// <summary>The object a <see cref="KubeStatus"/> is about.</summary>
public sealed record KubeStatusDetails
{
    /// <summary>Object name.</summary>
    public string? Name { get; init; }

    /// <summary>API group, e.g. <c>serving.knative.dev</c>.</summary>
    public string? Group { get; init; }

    /// <summary>Resource kind in plural form, e.g. <c>services</c>.</summary>
    public string? Kind { get; init; }
}
