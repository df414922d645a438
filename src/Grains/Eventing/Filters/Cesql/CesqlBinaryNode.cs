namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>A logical, comparison or arithmetic operation.</summary>
public sealed record CesqlBinaryNode(CesqlBinaryOperator Operator, CesqlNode Left, CesqlNode Right, int Position)
    : CesqlNode(Position)
{
    public override string ToString() => $"({Left} {Symbol(Operator)} {Right})";

    internal static string Symbol(CesqlBinaryOperator op) => op switch
    {
        CesqlBinaryOperator.And => "AND",
        CesqlBinaryOperator.Or => "OR",
        CesqlBinaryOperator.Xor => "XOR",
        CesqlBinaryOperator.Equal => "=",
        CesqlBinaryOperator.NotEqual => "!=",
        CesqlBinaryOperator.Less => "<",
        CesqlBinaryOperator.LessOrEqual => "<=",
        CesqlBinaryOperator.Greater => ">",
        CesqlBinaryOperator.GreaterOrEqual => ">=",
        CesqlBinaryOperator.Add => "+",
        CesqlBinaryOperator.Subtract => "-",
        CesqlBinaryOperator.Multiply => "*",
        CesqlBinaryOperator.Divide => "/",
        _ => "%",
    };
}
