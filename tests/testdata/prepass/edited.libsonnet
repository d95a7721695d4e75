local x = "a%s" % "b";
/* a comment **/
local f(n) = if n == 0 then x else f(n - 1) tailstrict;
f(3)
