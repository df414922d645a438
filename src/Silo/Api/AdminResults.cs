using System.Text;
using Knative.Orleans.Contracts.Manifests;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Silo.Api;

/// <summary>Writes objects and Kubernetes <c>Status</c> errors as JSON, or YAML when the client's Accept asks for it.</summary>
public static class AdminResults
{
    /// <summary>An object with status code <paramref name="code"/>.</summary>
    public static IResult Object<T>(T value, int code = StatusCodes.Status200OK) => new ManifestResult<T>(value, code);

    /// <summary>A failure <c>Status</c>.</summary>
    public static IResult Failure(int code, string reason, string message, string? kind = null, string? name = null,
        string group = ServingGroup) =>
        Object(KubeStatus.Failure(code, reason, message,
            kind is null ? null : new KubeStatusDetails { Kind = kind, Name = name, Group = group }), code);

    /// <summary>400 BadRequest.</summary>
    public static IResult BadRequest(string message) => Failure(StatusCodes.Status400BadRequest, "BadRequest", message);

    /// <summary>404 NotFound for a named object.</summary>
    public static IResult NotFound(string resource, string name, string group = ServingGroup) =>
        Failure(StatusCodes.Status404NotFound, "NotFound", $"{resource}.{group} \"{name}\" not found", resource, name, group);

    /// <summary>A success <c>Status</c> (DELETE).</summary>
    public static IResult Deleted(string resource, string name, string group = ServingGroup) => Object(new KubeStatus
    {
        Status = "Success",
        Code = StatusCodes.Status200OK,
        Details = new KubeStatusDetails { Kind = resource, Name = name, Group = group },
    });

    private const string ServingGroup = "serving.knative.dev";

    private sealed class ManifestResult<T>(T value, int code) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var format = ManifestSerializer.FormatFromAccept(context.Request.Headers.Accept.ToString()) ?? ManifestFormat.Json;
            context.Response.StatusCode = code;
            context.Response.ContentType = format == ManifestFormat.Yaml ? "application/yaml" : "application/json";
            return context.Response.WriteAsync(ManifestSerializer.Serialize(value, format), Encoding.UTF8);
        }
    }
}
