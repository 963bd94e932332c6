from app.api import Blueprint

blp = Blueprint("programmes_api", __name__, url_prefix="/programmes", description="Programmes")
