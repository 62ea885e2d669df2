package io.tollbooth.portal.admin;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tollbooth.portal.TestRealm;
import java.util.Map;

/** Requests to the admin API as an operator, with a real token of the admin CLI's service account. */
final class Admin {

    private Admin() {
    }

    static RequestSpecification admin() {
        return as(TestRealm.operatorToken());
    }

    /** Requests with the given access token. */
    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** Creates a resource and returns its id, asserting 201. */
    static String create(String path, Map<String, ?> body) {
        return admin().body(body).when().post(path).then().statusCode(201).extract().path("id");
    }
}
